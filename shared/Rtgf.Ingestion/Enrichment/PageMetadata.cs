using System.Globalization;
using System.Text.Json;

namespace Rtgf.Ingestion.Enrichment;

/// <summary>A document linked from a page: its absolute URL, link text and kind (e.g. <c>pdf</c>, <c>docx</c>, <c>html</c>).</summary>
public sealed record PageDocument(string Url, string? Title, string? Type);

/// <summary>
/// The docs proxy's metadata of one public web page (<c>GET {docs}/v1/page?url=</c>, docs/spec/enrichment.md). An unavailable
/// page (the proxy's 404/410/422/502 problem) is <see cref="Available"/> false with the problem's title in <see cref="Problem"/>.
/// </summary>
public sealed record PageMetadata(
    string Url,
    bool Available,
    string? FinalUrl = null,
    int? Status = null,
    string? Title = null,
    string? Description = null,
    DateTimeOffset? LastModified = null,
    string? ContentType = null,
    string? ContentHash = null,
    IReadOnlyList<PageDocument>? Documents = null,
    string? Problem = null)
{
    /// <summary>Documents kept per page: a row holds at most 64 KiB of JSON, and a site map of thousands is not enrichment.</summary>
    public const int MaxDocuments = 50;

    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("available", Available);
        writer.WriteString("contentHash", ContentHash);
        writer.WriteString("contentType", ContentType);
        writer.WriteString("description", Description);
        writer.WriteStartArray("documents");
        foreach (var document in (Documents ?? []).OrderBy(d => d.Url, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("title", document.Title);
            writer.WriteString("type", document.Type);
            writer.WriteString("url", document.Url);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("finalUrl", FinalUrl);
        writer.WriteString("lastModified", LastModified?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("problem", Problem);
        if (Status is { } status)
        {
            writer.WriteNumber("status", status);
        }
        else
        {
            writer.WriteNull("status");
        }

        writer.WriteString("title", Title);
        writer.WriteString("url", Url);
        writer.WriteEndObject();
    }
}
