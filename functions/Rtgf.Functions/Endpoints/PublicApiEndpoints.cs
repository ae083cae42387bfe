using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.Functions.Http;
using Rtgf.Ingestion.Records;
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

    public static Task<IResult> ListComponentsAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var shortageIn = QueryValues.Get(request, "shortageIn");
        if (shortageIn is not null && !IsState(shortageIn) && !string.Equals(shortageIn, LabourMarket.National, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult<IResult>(ApiProblem.InvalidRequest($"shortageIn must be a state or territory code ({string.Join(", ", LabourMarket.States)}) or national."));
        }

        return ListAsync(request, generations, json, "ListComponents", null, ["type", "status", "shortageIn"],
            (view, f) => view.FindComponents(f["type"], f["status"], f["shortageIn"]), cancellationToken);
    }

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

    public static Task<IResult> ListOccupationsAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!TryClassification(request, out var classification, out var problem) || !TryState(request, "state", LabourMarket.States, out var state, out problem))
        {
            return Task.FromResult(problem!);
        }

        var rating = QueryValues.Get(request, "rating");
        if (rating is not null && !LabourMarket.Ratings.Contains(rating, StringComparer.OrdinalIgnoreCase) && !string.Equals(rating, ShortageRating, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult<IResult>(ApiProblem.InvalidRequest($"rating must be one of {string.Join(", ", LabourMarket.Ratings)} or {ShortageRating} (any of S, R, M)."));
        }

        int? skillLevel = null;
        if (QueryValues.Get(request, "skillLevel") is { } level)
        {
            if (!QueryValues.TryParseNonNegative(level, out var parsed) || parsed is < 1 or > 5)
            {
                return Task.FromResult<IResult>(ApiProblem.InvalidRequest("skillLevel must be a whole number from 1 to 5."));
            }

            skillLevel = (int)parsed;
        }

        // A state without a rating asks for the occupations in shortage there; a rating without a state is the national rating.
        return ListAsync(request, generations, json, "ListOccupations", null, ["classification", "state", "rating", "skillLevel"],
            (view, _) => view.LabourMarket.FindOccupations(classification, state, rating ?? (state is null ? null : ShortageRating), skillLevel), cancellationToken);
    }

    public static async Task<IResult> GetOccupationAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!TryOccupation(request, out var code, out var classification, out var problem))
        {
            return problem!;
        }

        return await WithViewAsync(generations, request.HttpContext, null, view => view.LabourMarket.GetOccupation(classification, code) is { } occupation
            ? Json(request.HttpContext, occupation, json)
            : OccupationNotFound(classification, code), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<IResult> GetOccupationVacanciesAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!TryOccupation(request, out var code, out var classification, out var problem)
            || !TryState(request, "state", [LabourMarket.Australia, .. LabourMarket.States], out var state, out problem))
        {
            return problem!;
        }

        state ??= LabourMarket.Australia;
        return await WithViewAsync(generations, request.HttpContext, null, view =>
        {
            if (view.LabourMarket.GetOccupation(classification, code) is not { } occupation)
            {
                return OccupationNotFound(classification, code);
            }

            return view.LabourMarket.GetVacancies(occupation, state) is { } series
                ? Json(request.HttpContext, series, json)
                : ApiProblem.NotFound(occupation.UnitGroup is null
                    ? $"The vacancy index counts ANZSCO unit groups: {classification} occupation '{code}' has no vacancy series."
                    : $"The register has no vacancy series of unit group '{occupation.UnitGroup}' in {state.ToUpperInvariant()}.");
        }, cancellationToken).ConfigureAwait(false);
    }

    public static Task<IResult> ListOccupationQualificationsAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!TryOccupation(request, out var code, out var classification, out var problem))
        {
            return Task.FromResult(problem!);
        }

        var current = QueryValues.Get(request, "current");
        if (current is not null and not ("true" or "false"))
        {
            return Task.FromResult<IResult>(ApiProblem.InvalidRequest("current must be true or false."));
        }

        return ListAsync<ComponentSummary>(request, generations, json, "ListOccupationQualifications", "occupation", ["classification", "current"],
            (view, _) => view.LabourMarket.GetOccupation(classification, code) is { } occupation
                ? [.. view.LabourMarket.GetQualifications(occupation).Where(c => current is null || string.Equals(c.Status, CurrentStatus, StringComparison.OrdinalIgnoreCase) == (current == "true"))]
                : null,
            cancellationToken);
    }

    public static Task<IResult> ListComponentOccupationsAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        ListAsync(request, generations, json, "ListComponentOccupations", "component", [],
            (view, _) => view.GetComponent(Code(request)!) is null ? null : view.LabourMarket.GetOccupations(Code(request)!), cancellationToken);

    public static Task<IResult> ListLabourSeriesAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!TryState(request, "state", [.. LabourMarket.States, AbsAustralia], out var state, out var problem))
        {
            return Task.FromResult(problem!);
        }

        return ListAsync<LabourSeriesSummary>(request, generations, json, "ListLabourSeries", null, ["state", "measure"],
            (view, f) => f["state"] is null && f["measure"] is null
                ? view.LabourMarket.LabourSeriesSummaries
                : [.. view.LabourMarket.LabourSeriesSummaries.Where(s =>
                    (state is null || string.Equals(s.State, state, StringComparison.OrdinalIgnoreCase))
                    && (f["measure"] is not { } measure || string.Equals(s.Measure, measure, StringComparison.OrdinalIgnoreCase)))],
            cancellationToken);
    }

    public static async Task<IResult> GetLabourSeriesAsync(HttpRequest request, RegisterGenerations generations, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var dataflow = QueryValues.Route(request, "dataflow") ?? "";
        var seriesKey = QueryValues.Route(request, "seriesKey") ?? "";
        foreach (var (name, value) in new[] { ("dataflow", dataflow), ("seriesKey", seriesKey) })
        {
            if (PublicApiQuery.CheckCode(value) is not null)
            {
                return ApiProblem.InvalidRequest($"{name} '{TokenEndpoints.Truncate(value)}' is not a register code (1 to 64 letters, digits, '.', '_' or '-'; a dataflow as ABS.LF.1.0.0).");
            }
        }

        return await WithViewAsync(generations, request.HttpContext, null, view => view.LabourMarket.GetLabourSeries(dataflow, seriesKey) is { } series
            ? Json(request.HttpContext, series, json)
            : ApiProblem.NotFound($"The register has no labour series '{dataflow}/{seriesKey}'."), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rating filter value that means any shortage (S, R or M).</summary>
    private const string ShortageRating = "shortage";

    /// <summary>A component's usage status when it is current (TGA's <c>Current</c>).</summary>
    private const string CurrentStatus = "Current";

    /// <summary>The ABS's code for Australia as a whole in its series.</summary>
    private const string AbsAustralia = "AUS";

    private static ProblemHttpResult OccupationNotFound(string classification, string code) =>
        ApiProblem.NotFound($"The register has no {classification} occupation '{code}'.");

    private static bool IsState(string value) => LabourMarket.States.Contains(value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The <c>classification</c> query value: <c>anzsco-2022</c> (the default) or <c>osca-2024</c>.</summary>
    private static bool TryClassification(HttpRequest request, out string classification, out IResult? problem)
    {
        var given = QueryValues.Get(request, "classification");
        classification = LabourMarket.Classifications.FirstOrDefault(c => string.Equals(c, given, StringComparison.OrdinalIgnoreCase)) ?? OccupationShortageRecord.AnzscoClassification;
        problem = given is not null && !LabourMarket.Classifications.Contains(given, StringComparer.OrdinalIgnoreCase)
            ? ApiProblem.InvalidRequest($"classification must be {string.Join(" or ", LabourMarket.Classifications)}.")
            : null;
        return problem is null;
    }

    /// <summary>An occupation route: a 6-digit code and the classification it is in.</summary>
    private static bool TryOccupation(HttpRequest request, out string code, out string classification, out IResult? problem)
    {
        code = Code(request) ?? "";
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            classification = OccupationShortageRecord.AnzscoClassification;
            problem = ApiProblem.InvalidRequest($"code '{TokenEndpoints.Truncate(code)}' is not an occupation code (6 digits, ANZSCO 2022 or OSCA 2024).");
            return false;
        }

        return TryClassification(request, out classification, out problem);
    }

    /// <summary>A state query value, one of <paramref name="allowed"/> ignoring case (null when not given).</summary>
    private static bool TryState(HttpRequest request, string name, IReadOnlyList<string> allowed, out string? state, out IResult? problem)
    {
        state = QueryValues.Get(request, name);
        problem = state is not null && !allowed.Contains(state, StringComparer.OrdinalIgnoreCase)
            ? ApiProblem.InvalidRequest($"{name} must be one of {string.Join(", ", allowed)}.")
            : null;
        return problem is null;
    }
}
