using System.Globalization;
using System.Text.Json;

namespace Rtgf.Ingestion.Records;

/// <summary>A party of a contract notice: its name and ABN (11 digits, or null when absent or not an ABN).</summary>
public sealed record ContractParty(string? Name, string? Abn)
{
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        SnapshotJson.StringMembers(writer, ("abn", Abn), ("name", Name));
        writer.WriteEndObject();
    }

    internal static ContractParty Read(JsonElement element) =>
        new(ContractNoticeJson.String(element, "name"), ContractNoticeJson.String(element, "abn"));
}

/// <summary>One amendment of a contract notice: the amendment id, its date and the OCDS release that carried it.</summary>
public sealed record ContractAmendment(string Id, DateTimeOffset? Date, string ReleaseId)
{
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        ContractNoticeJson.Instant(writer, "date", Date);
        writer.WriteString("id", Id);
        writer.WriteString("releaseId", ReleaseId);
        writer.WriteEndObject();
    }
}

/// <summary>
/// An AusTender contract notice (<c>contract:{contractId}</c>, contractId = the CN number): the current facts of its latest
/// OCDS release and every amendment seen. Facts are keyed by release id (<see cref="Merge"/>), so releases may arrive in
/// any order or twice and give the same record. <see cref="Value"/> is the upstream amount (it may be cumulative across
/// amendments); <see cref="RtoCodes"/> are the TGA codes of current RTOs whose ABN matches a supplier's,
/// <see cref="BuyerRtoCodes"/> those matching the buyer's (an RTO buying; not a contract awarded to an RTO).
/// </summary>
public sealed record ContractNoticeRecord(
    string ContractId,
    string Ocid,
    string ReleaseId,
    DateTimeOffset LastModified,
    string? Title,
    string? Description,
    ContractParty? Buyer,
    IReadOnlyList<ContractParty> Suppliers,
    IReadOnlyList<string> Categories,
    decimal? Value,
    string? Currency,
    DateTimeOffset? DateSigned,
    DateTimeOffset? StartDate,
    DateTimeOffset? EndDate,
    string? ProcurementMethod,
    IReadOnlyList<string> RtoCodes,
    IReadOnlyList<ContractAmendment> Amendments) : ISnapshotRecord
{
    public const string KeyPrefix = "contract:";

    /// <summary>The TGA codes of current RTOs whose ABN is the buyer's (kept for the keep filter; not "awarded to an RTO").</summary>
    public IReadOnlyList<string> BuyerRtoCodes { get; init; } = [];

    public string Key => KeyPrefix + ContractId;

    /// <summary>
    /// The record after both releases: the facts of the later release (by date, then release id), the amendments of both
    /// (one per amendment id: a release may carry several amendments, and OCDS lists are cumulative, so a later release
    /// repeats earlier amendments; of the copies the earliest, by date then release id, is kept). Commutative, associative
    /// and idempotent, so a replayed or out-of-order release changes nothing wrongly.
    /// </summary>
    public static ContractNoticeRecord Merge(ContractNoticeRecord existing, ContractNoticeRecord incoming)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(incoming);
        var later = Compare(existing, incoming) >= 0 ? existing : incoming;
        return later with { Amendments = MergeAmendments(existing.Amendments.Concat(incoming.Amendments)) };
    }

    /// <summary>One amendment per id (the earliest copy, by date then release id), ordered by date, id and release id.</summary>
    public static IReadOnlyList<ContractAmendment> MergeAmendments(IEnumerable<ContractAmendment> amendments)
    {
        ArgumentNullException.ThrowIfNull(amendments);
        return [.. amendments
            .GroupBy(a => a.Id, StringComparer.Ordinal)
            .Select(g => g.OrderBy(a => a.Date).ThenBy(a => a.ReleaseId, StringComparer.Ordinal).First())
            .OrderBy(a => a.Date).ThenBy(a => a.Id, StringComparer.Ordinal).ThenBy(a => a.ReleaseId, StringComparer.Ordinal)];
    }

    private static int Compare(ContractNoticeRecord a, ContractNoticeRecord b)
    {
        var byDate = a.LastModified.CompareTo(b.LastModified);
        return byDate != 0 ? byDate : string.CompareOrdinal(a.ReleaseId, b.ReleaseId);
    }

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        SnapshotJson.Objects(writer, "amendments", Amendments, static (w, a) => a.WriteJson(w));
        SnapshotJson.Object(writer, "buyer", Buyer, static (w, b) => b.WriteJson(w));
        SnapshotJson.Strings(writer, "buyerRtoCodes", SnapshotJson.Sorted(BuyerRtoCodes));
        SnapshotJson.Strings(writer, "categories", SnapshotJson.Sorted(Categories));
        writer.WriteString("contractId", ContractId);
        writer.WriteString("currency", Currency);
        ContractNoticeJson.Instant(writer, "dateSigned", DateSigned);
        writer.WriteString("description", Description);
        ContractNoticeJson.Instant(writer, "endDate", EndDate);
        ContractNoticeJson.Instant(writer, "lastModified", LastModified);
        writer.WriteString("ocid", Ocid);
        writer.WriteString("procurementMethod", ProcurementMethod);
        writer.WriteString("releaseId", ReleaseId);
        SnapshotJson.Strings(writer, "rtoCodes", SnapshotJson.Sorted(RtoCodes));
        ContractNoticeJson.Instant(writer, "startDate", StartDate);
        SnapshotJson.Objects(writer, "suppliers", Suppliers, static (w, s) => s.WriteJson(w));
        writer.WriteString("title", Title);
        writer.WriteString("value", Value is { } v ? ContractNoticeJson.DecimalText(v) : null);
        writer.WriteEndObject();
    }

    /// <summary>Reads a stored record back (the JSON <see cref="WriteJson"/> wrote).</summary>
    public static ContractNoticeRecord Read(JsonElement element) =>
        ReadFacts(element) with { BuyerRtoCodes = [.. ContractNoticeJson.Array(element, "buyerRtoCodes").Select(c => c.GetString()!)] };

    private static ContractNoticeRecord ReadFacts(JsonElement element) =>
        new(
            ContractNoticeJson.String(element, "contractId") ?? throw new FormatException("A contract record has no contractId."),
            ContractNoticeJson.String(element, "ocid") ?? string.Empty,
            ContractNoticeJson.String(element, "releaseId") ?? string.Empty,
            ContractNoticeJson.InstantOf(element, "lastModified") ?? DateTimeOffset.MinValue,
            ContractNoticeJson.String(element, "title"),
            ContractNoticeJson.String(element, "description"),
            element.TryGetProperty("buyer", out var buyer) && buyer.ValueKind == JsonValueKind.Object ? ContractParty.Read(buyer) : null,
            [.. ContractNoticeJson.Array(element, "suppliers").Select(ContractParty.Read)],
            [.. ContractNoticeJson.Array(element, "categories").Select(c => c.GetString()!)],
            ContractNoticeJson.String(element, "value") is { } value ? decimal.Parse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null,
            ContractNoticeJson.String(element, "currency"),
            ContractNoticeJson.InstantOf(element, "dateSigned"),
            ContractNoticeJson.InstantOf(element, "startDate"),
            ContractNoticeJson.InstantOf(element, "endDate"),
            ContractNoticeJson.String(element, "procurementMethod"),
            [.. ContractNoticeJson.Array(element, "rtoCodes").Select(c => c.GetString()!)],
            [.. ContractNoticeJson.Array(element, "amendments").Select(a => new ContractAmendment(
                ContractNoticeJson.String(a, "id") ?? string.Empty, ContractNoticeJson.InstantOf(a, "date"), ContractNoticeJson.String(a, "releaseId") ?? string.Empty))]);
}

/// <summary>
/// The tender records' value formats: UTC instants as <c>yyyy-MM-ddTHH:mm:ssZ</c>, with a fraction only when the instant
/// has one (<c>…:ss.fffZ</c>, trailing zeros dropped), decimals as invariant text without trailing zeros.
/// </summary>
public static class ContractNoticeJson
{
    public static string InstantText(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>148500.00</c> and <c>148500</c> are one amount, so they are one text: <c>148500</c>.</summary>
    public static string DecimalText(decimal value) =>
        (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    internal static void Instant(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } instant)
        {
            writer.WriteString(name, InstantText(instant));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    internal static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static DateTimeOffset? InstantOf(JsonElement element, string name) =>
        String(element, name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;

    internal static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];
}
