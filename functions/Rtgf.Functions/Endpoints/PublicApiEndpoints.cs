using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.Functions.Http;
using Rtgf.Register;
using Rtgf.Register.Search;

namespace Rtgf.Functions.Endpoints;

/// <summary>A page of a <c>/v1</c> listing: the generation (build) it was cut from, the matching total, and the next page.</summary>
internal sealed record PublicApiPage<T>(string BuildId, int Total, IReadOnlyList<T> Items, string? NextCursor, string? Next);

/// <summary>A search hit with the register's summary of the record it names (and its token links).</summary>
internal sealed record SearchItem(string Kind, string Code, float Score, RtoSummary? Rto, ComponentSummary? Component);

/// <summary><c>GET /v1/search</c>: hits in rank order, facets over every match, and the next page.</summary>
/// <summary>A page of search hits; <see cref="Truncated"/>: this is the last page pages reach, and <see cref="Total"/> hits match.</summary>
internal sealed record SearchPage(string BuildId, int Total, IReadOnlyList<SearchItem> Items, IReadOnlyList<SearchFacet> Facets, string? NextCursor, string? Next, bool Truncated = false);

/// <summary>
/// The public catalogue API (<c>/v1</c>) over the register (docs/spec/public-api.md): every answer from one generation,
/// a strong ETag over its bytes, a short max-age, cursors pinned to the generation they were cut from.
/// </summary>
internal static class PublicApiEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int MaxValueLength = 100;
    public const int MaxSearchTextLength = 200;
    public const int MaxSearchWindow = 10_000;
    public const int RetryAfterSeconds = 10;

    public static Task<IResult> ListRtosAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        ListAsync(request, generations, json, "ListRtos", null, ["status", "state", "registrationManager", "component"],
            (view, f) => view.FindRtos(f["status"], f["state"], f["registrationManager"], f["component"]), cancellationToken);

    public static Task<IResult> GetRtoAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        GetAsync(request, generations, json, (view, code) => view.GetRto(code), "RTO", cancellationToken);

    public static Task<IResult> ListRtoScopeAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var current = QueryValues.Get(request, "current");
        if (current is not null and not ("true" or "false"))
        {
            return Task.FromResult<IResult>(ApiProblem.InvalidRequest("current must be true or false."));
        }

        return ListAsync(request, generations, json, "ListRtoScope", "RTO", ["current"],
            (view, f) => view.FindScope(Code(request)!, f["current"] is { } c ? c == "true" : null), cancellationToken);
    }

    public static Task<IResult> ListComponentsAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        ListAsync(request, generations, json, "ListComponents", null, ["type", "status"], (view, f) => view.FindComponents(f["type"], f["status"]), cancellationToken);

    public static Task<IResult> GetComponentAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        GetAsync(request, generations, json, (view, code) => view.GetComponentDetail(code), "component", cancellationToken);

    public static Task<IResult> ListComponentProvidersAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        ListAsync(request, generations, json, "ListComponentProviders", "component", ["state"],
            (view, f) => view.GetComponent(Code(request)!) is null ? null : view.FindProviders(Code(request)!, f["state"]), cancellationToken);

    public static Task<IResult> ListCricosProvidersAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        ListAsync(request, generations, json, "ListCricosProviders", null, [], (view, _) => view.CricosProviders, cancellationToken);

    public static Task<IResult> GetCricosProviderAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        GetAsync(request, generations, json, (view, code) => view.GetCricosProvider(code), "CRICOS provider", cancellationToken);

    public static Task<IResult> GetCricosCourseAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        GetAsync(request, generations, json, (view, code) => view.GetCricosCourse(code), "CRICOS course", cancellationToken);

    public static Task<IResult> ListTeqsaProvidersAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        ListAsync<TeqsaProviderSummary>(request, generations, json, "ListTeqsaProviders", null, [],
            (view, _) => [.. view.TeqsaProviders.Select(p => new TeqsaProviderSummary(p.ProviderId, p.Name, p.Abn, p.Status, p.Courses.Count, p.Snapshot))], cancellationToken);

    public static Task<IResult> GetTeqsaProviderAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        GetAsync(request, generations, json, (view, id) => view.GetTeqsaProvider(id), "TEQSA provider", cancellationToken);

    public static async Task<IResult> SearchAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var text = QueryValues.Get(request, "q");
        if (text is null || text.Length is 0 or > MaxSearchTextLength || text.Any(char.IsControl) || string.IsNullOrWhiteSpace(text))
        {
            return ApiProblem.InvalidRequest($"q is required: 1 to {MaxSearchTextLength} characters, not only spaces, without control characters.");
        }

        string[] names = ["kind", "status", "type", "state", "registrationManager"];
        if (!TryFilters(request, names, out var filters, out var problem) || !TryPaging(request, "SearchRegister|q=" + text, filters, out var paging, out problem))
        {
            return problem!;
        }

        if (filters["kind"] is { } kind && kind is not ("rto" or "component"))
        {
            return ApiProblem.InvalidRequest("kind must be rto or component.");
        }

        if (PublicApiQuery.CheckSearchWindow(paging, out var offset, out var limit) is { } beyond)
        {
            return ApiProblem.InvalidRequest(beyond.ForRequest);
        }

        return await WithViewAsync(generations, request.HttpContext, paging.Cursor, async view =>
        {
            SearchResults results;
            try
            {
                results = await view.Search.SearchAsync(
                    new SearchQuery(text, filters["kind"], filters["status"], filters["type"], filters["state"], filters["registrationManager"]), offset, limit, cancellationToken).ConfigureAwait(false);
            }
            catch (NotSupportedException)
            {
                request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return ApiProblem.NotReady("Search is not available on this instance yet.");
            }
            catch (ArgumentOutOfRangeException e)
            {
                return ApiProblem.InvalidRequest("the search window is out of range: " + e.Message);
            }

            var items = results.Hits.Select(h => new SearchItem(
                h.Kind, h.Code, h.Score,
                h.Kind == "rto" && view.GetRto(h.Code) is { } rto ? RegisterView.Summary(rto) : null,
                h.Kind == "component" && view.GetComponent(h.Code) is { } component ? RegisterView.Summary(component) : null)).ToList();
            var (cursor, truncated) = PublicApiQuery.SearchNext(view, paging, offset, results.Hits.Count, results.Total);
            return Json(request.HttpContext, new SearchPage(view.BuildId, results.Total, items, results.Facets, cursor, Next(request, filters, paging.Limit, cursor, ("q", text)), truncated), json);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> GetAsync<T>(
        HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, Func<RegisterView, string, T?> find, string what, CancellationToken cancellationToken)
        where T : class
    {
        if (!TryCode(request, out var code, out var problem))
        {
            return problem!;
        }

        return await WithViewAsync(generations, request.HttpContext, null, view => find(view, code) is { } found
            ? Json(request.HttpContext, found, json)
            : ApiProblem.NotFound($"The register has no {what} '{code}'."), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> ListAsync<T>(
        HttpRequest request,
        RegisterGenerations generations,
        JsonSerializerOptions json,
        string operation,
        string? parent,
        string[] filterNames,
        Func<RegisterView, IReadOnlyDictionary<string, string?>, IReadOnlyList<T>?> find,
        CancellationToken cancellationToken)
    {
        var code = "";
        if (parent is not null && !TryCode(request, out code, out var codeProblem))
        {
            return codeProblem!;
        }

        if (!TryFilters(request, filterNames, out var filters, out var problem) || !TryPaging(request, operation + "|" + code, filters, out var paging, out problem))
        {
            return problem!;
        }

        return await WithViewAsync(generations, request.HttpContext, paging.Cursor, view =>
        {
            var items = find(view, filters);
            if (items is null)
            {
                return ApiProblem.NotFound($"The register has no {parent} '{code}'.");
            }

            var page = view.Page(items, paging.Cursor?.Position ?? 0, paging.Limit, paging.Fingerprint);
            return Json(request.HttpContext, new PublicApiPage<T>(page.BuildId, page.Total, page.Items, page.NextCursor, Next(request, filters, paging.Limit, page.NextCursor)), json);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Task<IResult> WithViewAsync(
        RegisterGenerations generations, HttpContext http, RegisterCursor? pinned, Func<RegisterView, IResult> answer, CancellationToken cancellationToken) =>
        WithViewAsync(generations, http, pinned, view => ValueTask.FromResult(answer(view)), cancellationToken);

    /// <summary>Answers from the generation a cursor is pinned to, else the current one (503 with Retry-After before the first publication or while a generation cannot be loaded, 410 for a cursor whose generation this instance does not serve).</summary>
    internal static async Task<IResult> WithViewAsync(
        RegisterGenerations generations, HttpContext http, RegisterCursor? pinned, Func<RegisterView, ValueTask<IResult>> answer, CancellationToken cancellationToken)
    {
        var acquired = pinned is null
            ? await generations.AcquireCurrentAsync(cancellationToken).ConfigureAwait(false)
            : await generations.AcquirePinnedAsync(pinned.BuildHex, cancellationToken).ConfigureAwait(false);
        using var lease = acquired.Lease;
        if (lease is null)
        {
            if (acquired.Outcome == RegisterOutcome.Expired)
            {
                return ApiProblem.CursorExpired($"The cursor's generation (build sha256:{pinned?.BuildHex}) is not served here any more: start the listing again without a cursor.");
            }

            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return acquired.Outcome == RegisterOutcome.NothingPublished
                ? ApiProblem.NotReady("Nothing has been published yet: the register is empty.")
                : ApiProblem.NotReady("The register cannot serve this generation right now: try again shortly.");
        }

        return await answer(lease.View).ConfigureAwait(false);
    }

    private static FileContentHttpResult Json<T>(HttpContext http, T value, JsonSerializerOptions json) =>
        HttpCaching.ShortLivedBytesPerCaller(http, JsonSerializer.SerializeToUtf8Bytes(value, json), "application/json");

    private static string? Code(HttpRequest request) => QueryValues.Route(request, "code");

    private static bool TryCode(HttpRequest request, out string code, out IResult? problem)
    {
        code = Code(request) ?? "";
        problem = PublicApiQuery.CheckCode(code) is { } refusal ? ApiProblem.InvalidRequest(refusal.ForRequest) : null;
        return problem is null;
    }

    private static bool TryFilters(HttpRequest request, string[] names, out Dictionary<string, string?> filters, out IResult? problem)
    {
        filters = names.ToDictionary(name => name, name => QueryValues.Get(request, name), StringComparer.Ordinal);
        problem = PublicApiQuery.CheckFilters(filters) is { } refusal ? ApiProblem.InvalidRequest(refusal.ForRequest) : null;
        return problem is null;
    }

    private static bool TryPaging(HttpRequest request, string operation, Dictionary<string, string?> filters, out PublicApiPaging paging, out IResult? problem)
    {
        long? limit = null;
        if (QueryValues.Get(request, "limit") is { } text)
        {
            // Not a whole number: refused as a number out of range is, in the same words.
            limit = QueryValues.TryParseNonNegative(text, out var parsed) ? parsed : -1;
        }

        problem = PublicApiQuery.CheckPaging(operation, filters, limit, QueryValues.Get(request, "cursor"), out paging) is { } refusal
            ? ApiProblem.InvalidRequest(refusal.ForRequest)
            : null;
        return problem is null;
    }

    private static string? Next(HttpRequest request, Dictionary<string, string?> filters, int limit, string? cursor, params (string Name, string Value)[] leading) =>
        PublicApiQuery.Next(request.Path.ToString(), filters, limit, cursor, leading);
}
