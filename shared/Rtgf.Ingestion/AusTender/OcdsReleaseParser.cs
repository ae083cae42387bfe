using System.Globalization;
using System.Text.Json;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.AusTender;

/// <summary>
/// Reads one page of AusTender's OCDS release package strictly: every release needs <c>ocid</c>, <c>id</c> and
/// <c>date</c>; every contract an <c>id</c> (the CN number: letters, digits, <c>-_.</c>); an amount is a JSON number or a
/// decimal string (OCDS types it as a number, AusTender sends a string), read invariantly; a currency three letters
/// (kept as it is: non-AUD contracts exist); an award's supplier must name a party of the release. A release that breaks
/// any of these is an <see cref="UpstreamFormatException"/> naming the release id and JSON path, never a partial page.
/// An ABN that is not 11 digits once spaces are removed is not fatal: the party keeps a null ABN and the page records why.
/// </summary>
public static class OcdsReleaseParser
{
    public const string ProcuringEntityRole = "procuringEntity";
    public const string SupplierRole = "supplier";
    public const string AbnScheme = "AU-ABN";

    public static OcdsPage Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException e)
        {
            throw new UpstreamFormatException($"AusTender OCDS: the page is not JSON ({e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("releases", out var releases) || releases.ValueKind != JsonValueKind.Array)
            {
                throw new UpstreamFormatException("AusTender OCDS: the page has no 'releases' array at $.releases.");
            }

            var notes = new List<string>();
            var contracts = new List<ContractNoticeRecord>();
            var index = 0;
            foreach (var release in releases.EnumerateArray())
            {
                contracts.AddRange(ParseRelease(release, $"$.releases[{index}]", notes));
                index++;
            }

            string? next = null;
            if (root.TryGetProperty("links", out var links) && links.ValueKind == JsonValueKind.Object
                && links.TryGetProperty("next", out var nextElement) && nextElement.ValueKind == JsonValueKind.String)
            {
                next = nextElement.GetString();
            }

            return new OcdsPage(index, contracts, string.IsNullOrWhiteSpace(next) ? null : next, notes);
        }
    }

    /// <summary>The longest contract id accepted (CN numbers are about ten characters; a row key is at most 1 KiB).</summary>
    public const int MaxContractIdLength = 64;

    /// <summary>
    /// A contract id is a CN number (<c>CN4099999</c>, amendments sometimes <c>CN4099999-A1</c>): ASCII letters, digits,
    /// <c>-</c>, <c>_</c> and <c>.</c>. Anything else (a slash, a space, a control character) is drift, and would not be
    /// a safe row key or URL segment.
    /// </summary>
    public static bool IsContractId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxContractIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Whether a 400 body is AusTender's "no records for the date range" answer (<c>errorCode</c> 100): an empty window.</summary>
    public static bool IsEmptyWindow(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errorCode", out var code)
                && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var value) && value == 100;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>An ABN as 11 digits (spaces removed), or null with the reason in <paramref name="reason"/>.</summary>
    public static string? NormaliseAbn(string? text, out string? reason)
    {
        reason = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var digits = text.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (digits.Length == 11 && digits.All(char.IsAsciiDigit))
        {
            return digits;
        }

        reason = $"'{text}' is not an 11-digit ABN";
        return null;
    }

    private static List<ContractNoticeRecord> ParseRelease(JsonElement release, string path, List<string> notes)
    {
        if (release.ValueKind != JsonValueKind.Object)
        {
            throw Error("(unknown)", path, "is not an object");
        }

        var releaseId = OptionalString(release, "id", "(unknown)", path) ?? throw Error("(unknown)", path + ".id", "is missing");
        var ocid = OptionalString(release, "ocid", releaseId, path) ?? throw Error(releaseId, path + ".ocid", "is missing");
        var date = Instant(release, "date", releaseId, path) ?? throw Error(releaseId, path + ".date", "is missing");

        // Parties by id: the buyer is the procuring entity; suppliers come from the contract's award (or the supplier role).
        var parties = new Dictionary<string, (ContractParty Party, IReadOnlyList<string> Roles)>(StringComparer.Ordinal);
        var i = 0;
        foreach (var party in Array(release, "parties"))
        {
            var partyPath = $"{path}.parties[{i++}]";
            var id = OptionalString(party, "id", releaseId, partyPath) ?? throw Error(releaseId, partyPath + ".id", "is missing");
            string? abn = null;
            var j = 0;
            foreach (var identifier in Array(party, "additionalIdentifiers"))
            {
                var idPath = $"{partyPath}.additionalIdentifiers[{j++}]";
                if (OptionalString(identifier, "scheme", releaseId, idPath) == AbnScheme)
                {
                    abn = NormaliseAbn(OptionalString(identifier, "id", releaseId, idPath), out var reason);
                    if (reason is not null)
                    {
                        notes.Add($"release {releaseId} {idPath}.id: {reason}; kept without an ABN.");
                    }
                }
            }

            var roles = Array(party, "roles").Select(r => r.ValueKind == JsonValueKind.String ? r.GetString()! : throw Error(releaseId, partyPath + ".roles", "holds a non-string")).ToList();
            parties[id] = (new ContractParty(OptionalString(party, "name", releaseId, partyPath), abn), roles);
        }

        var awards = new Dictionary<string, List<ContractParty>>(StringComparer.Ordinal);
        i = 0;
        foreach (var award in Array(release, "awards"))
        {
            var awardPath = $"{path}.awards[{i++}]";
            var id = OptionalString(award, "id", releaseId, awardPath) ?? throw Error(releaseId, awardPath + ".id", "is missing");
            var suppliers = new List<ContractParty>();
            var j = 0;
            foreach (var supplier in Array(award, "suppliers"))
            {
                var supplierPath = $"{awardPath}.suppliers[{j++}]";
                var reference = OptionalString(supplier, "id", releaseId, supplierPath) ?? throw Error(releaseId, supplierPath + ".id", "is missing");
                suppliers.Add(parties.TryGetValue(reference, out var known)
                    ? known.Party
                    : throw Error(releaseId, supplierPath + ".id", $"names party '{reference}', which the release does not list"));
            }

            awards[id] = suppliers;
        }

        var buyer = parties.Values.Where(p => p.Roles.Contains(ProcuringEntityRole, StringComparer.Ordinal)).Select(p => p.Party).FirstOrDefault();
        var supplierParties = parties.Values.Where(p => p.Roles.Contains(SupplierRole, StringComparer.Ordinal)).Select(p => p.Party).ToList();
        string? method = null;
        if (release.TryGetProperty("tender", out var tender) && tender.ValueKind == JsonValueKind.Object)
        {
            method = OptionalString(tender, "procurementMethod", releaseId, path + ".tender");
        }

        var contracts = new List<ContractNoticeRecord>();
        i = 0;
        foreach (var contract in Array(release, "contracts"))
        {
            var contractPath = $"{path}.contracts[{i++}]";
            var contractId = OptionalString(contract, "id", releaseId, contractPath) ?? throw Error(releaseId, contractPath + ".id", "is missing");
            if (!IsContractId(contractId))
            {
                throw Error(releaseId, contractPath + ".id", $"'{contractId}' is not a contract id (letters, digits, '-', '_' or '.', at most {MaxContractIdLength})");
            }

            var awardId = OptionalString(contract, "awardID", releaseId, contractPath);
            IReadOnlyList<ContractParty> suppliers = awardId is null
                ? supplierParties
                : awards.TryGetValue(awardId, out var awarded) ? awarded : throw Error(releaseId, contractPath + ".awardID", $"names award '{awardId}', which the release does not list");
            var (value, currency) = Value(contract, releaseId, contractPath);
            DateTimeOffset? start = null, end = null;
            if (contract.TryGetProperty("period", out var period) && period.ValueKind == JsonValueKind.Object)
            {
                start = Instant(period, "startDate", releaseId, contractPath + ".period");
                end = Instant(period, "endDate", releaseId, contractPath + ".period");
            }

            var categories = new List<string>();
            var j = 0;
            foreach (var item in Array(contract, "items"))
            {
                var itemPath = $"{contractPath}.items[{j++}]";
                if (item.TryGetProperty("classification", out var classification) && classification.ValueKind == JsonValueKind.Object
                    && OptionalString(classification, "id", releaseId, itemPath + ".classification") is { } code)
                {
                    categories.Add(code);
                }
            }

            var amendments = new List<ContractAmendment>();
            j = 0;
            foreach (var amendment in Array(contract, "amendments"))
            {
                var amendmentPath = $"{contractPath}.amendments[{j++}]";
                var id = OptionalString(amendment, "id", releaseId, amendmentPath) ?? throw Error(releaseId, amendmentPath + ".id", "is missing");
                amendments.Add(new ContractAmendment(
                    id,
                    Instant(amendment, "date", releaseId, amendmentPath) ?? date,
                    OptionalString(amendment, "releaseID", releaseId, amendmentPath) ?? releaseId));
            }

            contracts.Add(new ContractNoticeRecord(
                contractId, ocid, releaseId, date,
                OptionalString(contract, "title", releaseId, contractPath),
                OptionalString(contract, "description", releaseId, contractPath),
                buyer, suppliers, [.. categories.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], value, currency,
                Instant(contract, "dateSigned", releaseId, contractPath), start, end, method, [],
                ContractNoticeRecord.MergeAmendments(amendments)));
        }

        return contracts;
    }

    private static (decimal? Value, string? Currency) Value(JsonElement contract, string releaseId, string contractPath)
    {
        if (!contract.TryGetProperty("value", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        var path = contractPath + ".value";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(releaseId, path, "is not an object");
        }

        decimal? amount = null;
        if (value.TryGetProperty("amount", out var amountElement) && amountElement.ValueKind != JsonValueKind.Null)
        {
            // OCDS types amount as a number; AusTender sends a decimal string. Either is read invariantly, anything else drifted.
            var parsed = amountElement.ValueKind switch
            {
                JsonValueKind.Number when amountElement.TryGetDecimal(out var number) => number,
                JsonValueKind.String when decimal.TryParse(amountElement.GetString(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var text) => text,
                _ => (decimal?)null,
            };
            amount = parsed ?? throw Error(releaseId, path + ".amount", $"is not a number or decimal string ({amountElement.GetRawText()})");
        }

        var currency = OptionalString(value, "currency", releaseId, path);
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
        {
            throw Error(releaseId, path + ".currency", $"'{currency}' is not a three-letter currency code");
        }

        return (amount, currency);
    }

    private static JsonElement[] Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [];

    private static string? OptionalString(JsonElement element, string name, string releaseId, string path)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(releaseId, $"{path}.{name}", $"is a {value.ValueKind}, not a string");
    }

    private static DateTimeOffset? Instant(JsonElement element, string name, string releaseId, string path)
    {
        var text = OptionalString(element, name, releaseId, path);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : throw Error(releaseId, $"{path}.{name}", $"'{text}' is not an ISO 8601 date");
    }

    private static UpstreamFormatException Error(string releaseId, string path, string problem) =>
        new($"AusTender OCDS release {releaseId}: {path} {problem}.");
}

/// <summary>One page of releases: how many releases it held, their contracts, the next page's URL and any non-fatal notes.</summary>
public sealed record OcdsPage(int Releases, IReadOnlyList<ContractNoticeRecord> Contracts, string? Next, IReadOnlyList<string> Notes);
