namespace Rtgf.Ingestion.DataGovAu;

/// <summary>
/// One CKAN dataset (a <c>package_show</c> result, or one of <c>package_search</c>'s results) as data.gov.au serves it:
/// the fields change monitoring reads, instants normalised to UTC (CKAN writes them without a zone; they are UTC).
/// <see cref="Hidden"/>: CKAN says the dataset is not public (<c>state</c> other than <c>active</c>, e.g. <c>deleted</c>
/// or <c>draft</c>, or <c>private: true</c>); the monitor treats it as withdrawn.
/// </summary>
public sealed record CkanDataset(
    string Id,
    string Name,
    string? Title,
    string? Organisation,
    DateTimeOffset MetadataModified,
    string? LicenseId,
    IReadOnlyList<CkanResource> Resources,
    bool Hidden = false);

/// <summary>
/// One resource (a file) of a dataset. <see cref="Hash"/> is often empty and <see cref="LastModified"/> often null upstream:
/// both are normal, so both are optional here (an empty hash is read as none). <see cref="Created"/> is when the resource
/// was added (the calendar falls back to it to order a year's files when <c>last_modified</c> is null).
/// </summary>
public sealed record CkanResource(
    string Id,
    string? Name,
    string? Format,
    string? Url,
    DateTimeOffset? LastModified,
    string? Hash,
    long? Size,
    DateTimeOffset? Created = null);

/// <summary>A resource's file as downloaded: where from, its bytes and the answer's ETag (null when the server sent none).</summary>
public sealed record CkanFile(Uri Url, byte[] Content, string? ETag);
