using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>
/// An AusTender approach to market (<c>tender:{atmId}</c>) as its RSS item publishes it: the ATM id, title, agency,
/// UNSPSC categories, publish and close instants, detail page URL and description.
/// </summary>
public sealed record TenderRecord(
    string AtmId,
    string Title,
    string? Agency,
    IReadOnlyList<string> Categories,
    DateTimeOffset PublishedDate,
    DateTimeOffset CloseDate,
    string? Url,
    string? Description) : ISnapshotRecord
{
    public const string KeyPrefix = "tender:";

    public string Key => KeyPrefix + AtmId;

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("agency", Agency);
        writer.WriteString("atmId", AtmId);
        SnapshotJson.Strings(writer, "categories", SnapshotJson.Sorted(Categories));
        ContractNoticeJson.Instant(writer, "closeDate", CloseDate);
        writer.WriteString("description", Description);
        ContractNoticeJson.Instant(writer, "publishedDate", PublishedDate);
        writer.WriteString("title", Title);
        writer.WriteString("url", Url);
        writer.WriteEndObject();
    }
}
