using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rtgf.Ingestion.DataGovAu;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// A watched data.gov.au dataset (<c>dataset:{id}</c>, id = CKAN's dataset uuid): its metadata, the watch-list entry that
/// found it first (entries in configured order) and its resources sorted by id, each with the
/// <see cref="DatasetResource.Fingerprint"/> change detection compares.
/// </summary>
public sealed record DatasetRecord(
    string Id, string Name, string? Title, string? Organisation, DateTimeOffset MetadataModified, string? License, string Watch,
    IReadOnlyList<DatasetResource> Resources) : ISnapshotRecord
{
    public string Key => "dataset:" + Id;

    public static DatasetRecord From(CkanDataset dataset, string watch)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new DatasetRecord(
            dataset.Id, dataset.Name, dataset.Title, dataset.Organisation, dataset.MetadataModified, dataset.LicenseId, watch,
            [.. dataset.Resources.Select(DatasetResource.From).OrderBy(r => r.Id, StringComparer.Ordinal)]);
    }

    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("license", License);
        SnapshotJson.Instant(writer, "metadataModified", MetadataModified);
        writer.WriteString("name", Name);
        writer.WriteString("organisation", Organisation);
        writer.WriteStartArray("resources");
        foreach (var resource in Resources.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            resource.WriteJson(writer);
        }

        writer.WriteEndArray();
        writer.WriteString("title", Title);
        writer.WriteString("watch", Watch);
        writer.WriteEndObject();
    }
}

/// <summary>
/// One resource of a <see cref="DatasetRecord"/>. <see cref="Fingerprint"/> is <c>sha256:</c> and the lower-case hex SHA-256
/// of the UTF-8 <c>hash</c>, <c>url</c>, <c>lastModified</c> and <c>size</c> as the record writes them, joined by <c>\n</c>
/// (absent = empty). All four, always: CKAN's <c>hash</c> is free text a publisher may leave stale across a new upload, so
/// a replaced file (new modified date, size or URL) moves the fingerprint whether or not the hash does.
/// </summary>
public sealed record DatasetResource(string Id, string? Name, string? Format, string? Url, DateTimeOffset? LastModified, string? Hash, long? Size)
{
    public string Fingerprint
    {
        get
        {
            var basis = string.Join('\n', Hash ?? string.Empty, Url ?? string.Empty, Text(LastModified) ?? string.Empty, Size?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
            return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(basis)));
        }
    }

    public static DatasetResource From(CkanResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new DatasetResource(resource.Id, resource.Name, resource.Format, resource.Url, resource.LastModified, resource.Hash, resource.Size);
    }

    internal void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("fingerprint", Fingerprint);
        writer.WriteString("format", Format);
        writer.WriteString("hash", Hash);
        writer.WriteString("id", Id);
        writer.WriteString("lastModified", Text(LastModified));
        writer.WriteString("name", Name);
        if (Size is { } size)
        {
            writer.WriteNumber("size", size);
        }
        else
        {
            writer.WriteNull("size");
        }

        writer.WriteString("url", Url);
        writer.WriteEndObject();
    }

    private static string? Text(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
}
