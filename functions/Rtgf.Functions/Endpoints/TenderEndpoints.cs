using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Storage;

namespace Rtgf.Functions.Endpoints;

/// <summary>A contract notice's party: name and ABN (11 digits or null).</summary>
internal sealed record ContractPartyView(string? Name, string? Abn);

/// <summary>One amendment of a contract notice and the release that carried it.</summary>
internal sealed record ContractAmendmentView(string Id, string? Date, string ReleaseId);

/// <summary>An AusTender contract notice as <c>tender-sync</c> stored it (the <c>contract:</c> snapshot record).</summary>
internal sealed record ContractNotice(
    string ContractId, string Ocid, string ReleaseId, string LastModified, string? Title, string? Description, ContractPartyView? Buyer,
    IReadOnlyList<ContractPartyView> Suppliers, IReadOnlyList<string> Categories, string? Value, string? Currency, string? DateSigned,
    string? StartDate, string? EndDate, string? ProcurementMethod, IReadOnlyList<string> RtoCodes, IReadOnlyList<ContractAmendmentView> Amendments,
    IReadOnlyList<string>? BuyerRtoCodes = null);

/// <summary>An AusTender approach to market as <c>tender-sync</c> stored it (the <c>tender:</c> snapshot record).</summary>
internal sealed record ApproachToMarket(
    string AtmId, string Title, string? Agency, IReadOnlyList<string> Categories, string PublishedDate, string CloseDate, string? Url, string? Description);

/// <summary>A page of contract notices or approaches to market: the matching total and the next page.</summary>
internal sealed record TenderPage<T>(int Total, IReadOnlyList<T> Items, string? NextCursor, string? Next);

/// <summary>
/// <c>/v1/contracts</c> and <c>/v1/tenders</c> over the Layer-1 tables <c>tender-sync</c> writes (not the register: tenders
/// are not a token family). Each list reads its one partition (a few thousand kept rows a year), filters, orders by id
/// (ordinal) and pages with a continuation cursor holding the last id served. Before any sync the tables are empty: empty
/// pages, not errors. Filters: <c>rto</c> (contracts only, a TGA code among <c>rtoCodes</c>, the suppliers that are current
/// RTOs; <c>rto</c> on <c>/v1/tenders</c> is a 400), <c>category</c> (a UNSPSC prefix of 2, 4, 6
/// or 8 digits: segment, family, class or commodity), <c>from</c>/<c>to</c> (inclusive UTC dates of the contract's
/// <c>lastModified</c> or the tender's <c>publishedDate</c>).
/// </summary>
internal static partial class TenderEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    private static readonly JsonSerializerOptions Stored = new(JsonSerializerDefaults.Web);

    public static async Task<IResult> ListContractsAsync(HttpRequest request, IRecordTables tables, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!TryFilters(request, withRto: true, out var filters, out var problem) || !TryPage(request, out var page, out problem))
        {
            return problem!;
        }

        var rows = await tables.Open(IngestTables.TenderContracts).GetPartitionAsync(TenderSyncWorker.ContractPartition, cancellationToken).ConfigureAwait(false);
        var matching = rows.Where(r => !r.Row.Deleted)
            .Select(r => JsonSerializer.Deserialize<ContractNotice>(r.Row.Json, Stored)!)
            .Where(c => filters.Matches(c.Categories, c.LastModified) && (filters.Rto is null || c.RtoCodes.Contains(filters.Rto, StringComparer.Ordinal)))
            .OrderBy(c => c.ContractId, StringComparer.Ordinal)
            .ToList();
        return Page(request, json, filters, page, matching, c => c.ContractId);
    }

    public static Task<IResult> GetContractAsync(HttpRequest request, IRecordTables tables, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        GetAsync<ContractNotice>(request, "contractId", IngestTables.TenderContracts, TenderSyncWorker.ContractPartition, "contract notice", tables, json, cancellationToken);

    public static async Task<IResult> ListTendersAsync(HttpRequest request, IRecordTables tables, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!TryFilters(request, withRto: false, out var filters, out var problem) || !TryPage(request, out var page, out problem))
        {
            return problem!;
        }

        var rows = await tables.Open(IngestTables.Tenders).GetPartitionAsync(TenderSyncWorker.TenderPartition, cancellationToken).ConfigureAwait(false);
        var matching = rows.Where(r => !r.Row.Deleted)
            .Select(r => JsonSerializer.Deserialize<ApproachToMarket>(r.Row.Json, Stored)!)
            .Where(t => filters.Matches(t.Categories, t.PublishedDate))
            .OrderBy(t => t.AtmId, StringComparer.Ordinal)
            .ToList();
        return Page(request, json, filters, page, matching, t => t.AtmId);
    }

    public static Task<IResult> GetTenderAsync(HttpRequest request, IRecordTables tables, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        GetAsync<ApproachToMarket>(request, "atmId", IngestTables.Tenders, TenderSyncWorker.TenderPartition, "approach to market", tables, json, cancellationToken);

    private static async Task<IResult> GetAsync<T>(
        HttpRequest request, string routeName, string table, string partition, string what, IRecordTables tables, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var id = QueryValues.Route(request, routeName) ?? "";
        if (!Identifier().IsMatch(id))
        {
            return ApiProblem.InvalidRequest($"'{routeName}' must be 1 to 64 letters, digits, '.', '_' or '-'.");
        }

        var stored = await tables.Open(table).GetAsync(TableKeys.Escape(partition), TableKeys.Escape(id), cancellationToken).ConfigureAwait(false);
        return stored is null || stored.Row.Deleted
            ? ApiProblem.NotFound($"No {what} '{id}' is stored (tender-sync keeps education and training notices and those of RTOs).")
            : Json(request.HttpContext, JsonSerializer.Deserialize<T>(stored.Row.Json, Stored)!, json);
    }

    private static FileContentHttpResult Page<T>(HttpRequest request, JsonSerializerOptions json, Filters filters, PageRequest page, List<T> matching, Func<T, string> id)
    {
        var items = matching.Where(m => page.Continuation is null || string.CompareOrdinal(id(m), page.Continuation) > 0).Take(page.Limit + 1).ToList();
        string? cursor = null;
        if (items.Count > page.Limit)
        {
            items.RemoveAt(page.Limit);
            cursor = ContinuationCursor.Encode(id(items[^1]));
        }

        var body = new TenderPage<T>(matching.Count, items, cursor, PublicApiQuery.Next(request.Path.ToString(), filters.Query, page.Limit, cursor));
        return Json(request.HttpContext, body, json);
    }

    private static FileContentHttpResult Json<T>(HttpContext http, T value, JsonSerializerOptions json) =>
        HttpCaching.ShortLivedBytesPerCaller(http, JsonSerializer.SerializeToUtf8Bytes(value, json), "application/json");

    private static bool TryPage(HttpRequest request, out PageRequest page, out IResult? problem)
    {
        var ok = PageRequest.TryRead(request, DefaultLimit, MaxLimit, out page, out var invalid);
        problem = invalid;
        if (ok && page.Continuation is { } after && !Identifier().IsMatch(after))
        {
            problem = ApiProblem.InvalidRequest("'cursor' is not a cursor this API gave out.");
            return false;
        }

        return ok;
    }

    private static bool TryFilters(HttpRequest request, bool withRto, out Filters filters, out IResult? problem)
    {
        filters = new Filters(null, null, null, null, []);
        var query = new List<KeyValuePair<string, string?>>();
        string? rto = null;
        if (!withRto && QueryValues.Get(request, "rto") is not null)
        {
            // An approach to market names no supplier: silently ignoring 'rto' would answer every tender as if filtered.
            problem = ApiProblem.InvalidRequest("'rto' filters /v1/contracts (an RTO among the suppliers); approaches to market name no supplier, so /v1/tenders has no 'rto' filter.");
            return false;
        }

        if (withRto && QueryValues.Get(request, "rto") is { } rtoText)
        {
            if (!RtoCode().IsMatch(rtoText))
            {
                problem = ApiProblem.InvalidRequest("'rto' must be an RTO code: 1 to 10 letters or digits.");
                return false;
            }

            rto = rtoText;
            query.Add(new("rto", rto));
        }

        var category = QueryValues.Get(request, "category");
        if (category is not null)
        {
            if (!Category().IsMatch(category))
            {
                problem = ApiProblem.InvalidRequest("'category' must be a UNSPSC code or prefix of 2, 4, 6 or 8 digits, e.g. 86 or 86101700.");
                return false;
            }

            query.Add(new("category", category));
        }

        if (!TryDate(request, "from", out var from, out problem) || !TryDate(request, "to", out var to, out problem))
        {
            return false;
        }

        if (from is { } f && to is { } t && t < f)
        {
            problem = ApiProblem.InvalidRequest("'to' must not be before 'from'.");
            return false;
        }

        if (from is not null)
        {
            query.Add(new("from", QueryValues.Get(request, "from")));
        }

        if (to is not null)
        {
            query.Add(new("to", QueryValues.Get(request, "to")));
        }

        filters = new Filters(rto, category, from, to, query);
        problem = null;
        return true;
    }

    private static bool TryDate(HttpRequest request, string name, out DateOnly? date, out IResult? problem)
    {
        date = null;
        problem = null;
        if (QueryValues.Get(request, name) is not { } text)
        {
            return true;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            problem = ApiProblem.InvalidRequest($"'{name}' must be a date as yyyy-MM-dd.");
            return false;
        }

        date = parsed;
        return true;
    }

    /// <summary>The validated filters, and the query (in a fixed order) the next page repeats.</summary>
    private sealed record Filters(string? Rto, string? Category, DateOnly? From, DateOnly? To, IReadOnlyList<KeyValuePair<string, string?>> Query)
    {
        public bool Matches(IReadOnlyList<string> categories, string? instant)
        {
            if (Category is not null && !categories.Any(c => c.StartsWith(Category, StringComparison.Ordinal)))
            {
                return false;
            }

            if (From is null && To is null)
            {
                return true;
            }

            if (instant is null || !DateTimeOffset.TryParse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return false;
            }

            var day = DateOnly.FromDateTime(parsed.UtcDateTime);
            return (From is null || day >= From) && (To is null || day <= To);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^[A-Za-z0-9]{1,10}$")]
    private static partial Regex RtoCode();

    [GeneratedRegex("^(?:[0-9]{2}){1,4}$")]
    private static partial Regex Category();
}
