namespace Rtgf.Ingestion.DataGovAu;

/// <summary>
/// One CKAN dataset (a <c>package_show</c> result, or one of <c>package_search</c>'s results) as data.gov.au serves it:
/// the fields change monitoring reads, instants normalised to UTC (CKAN writes them without a zone; they are UTC).
/// </summary>
public sealed record CkanDataset(
    string Id,
    string Name,
    string? Title,
    string? Organisation,
    DateTimeOffset MetadataModified,
    string? LicenseId,
    IReadOnlyList<CkanResource> Resources);

/// <summary>
/// One resource (a file) of a dataset. <see cref="Hash"/> is often empty and <see cref="LastModified"/> often null upstream:
/// both are normal, so both are optional here (an empty hash is read as none).
/// </summary>
public sealed record CkanResource(
    string Id,
    string? Name,
    string? Format,
    string? Url,
    DateTimeOffset? LastModified,
    string? Hash,
    long? Size);
