using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Rtgf.Functions.Endpoints;
using Rtgf.Register;
using Rtgf.Register.Search;

namespace Rtgf.Functions.Mcp;

/// <summary>
/// The catalogue's tools: the answers of the <c>/v1</c> endpoints they name, from the same register generation and in the
/// same records (<see cref="SearchPage"/>, <see cref="ComponentDetail"/>, <see cref="Rto"/>, <see cref="PublicApiPage{T}"/>),
/// serialized as <c>/v1</c> serializes them (<see cref="Json"/>), each record with its <c>token</c> and <c>proof</c> links.
/// A page's cursor is the <c>/v1</c> listing's own (the same fingerprint), so <c>next</c> is the <c>/v1</c> link of the next page
/// and either API continues the other's listing.
/// </summary>
[McpServerToolType]
internal sealed class CatalogueTools(RegisterGenerations generations)
{
    public const string SearchComponentsName = "search_components";
    public const string GetComponentName = "get_component";
    public const string GetRtoName = "get_rto";
    public const string RtoScopeName = "rto_scope";
    public const string ComponentProvidersName = "component_providers";

    /// <summary>
    /// The options <c>/v1</c> writes with (ASP.NET Core's JSON defaults, which the app does not change), with the reflection
    /// resolver set explicitly: the SDK makes the options read-only to build the schemas, which needs one.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    [McpServerTool(Name = SearchComponentsName, Title = "Search training components", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Full-text search of the register's training components (qualifications, units, skill sets, courses) by code, title " +
        "and keywords, best first, with facets; optionally only of one type or status. Each hit carries the component's " +
        "summary with its signed token link (token.id, token.uri) and proof link. The answer of GET /v1/search?kind=component; " +
        "pass nextCursor back as cursor for the next page.")]
    public async Task<SearchPage> SearchComponentsAsync(
        [Description("The search text: 1 to 200 characters (a code such as BSB50120, or words of a title).")] string text,
        [Description("Only components of this type, e.g. qualification, unit, skillset, accreditedcourse.")] string? type = null,
        [Description("Only components of this status, e.g. current, superseded, deleted.")] string? status = null,
        [Description("Hits per page, 1 to 500; 50 when left out.")] long? limit = null,
        [Description("The nextCursor of the previous page, with the same text and filters.")] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        if (text.Length is 0 or > PublicApiEndpoints.MaxSearchTextLength || text.Any(char.IsControl) || string.IsNullOrWhiteSpace(text))
        {
            throw new McpException($"'text' must be 1 to {PublicApiEndpoints.MaxSearchTextLength} characters, not only spaces, without control characters.");
        }

        var filters = Filters(("kind", "component"), ("status", status), ("type", type), ("state", null), ("registrationManager", null));
        var paging = Paging("SearchRegister|q=" + text, filters, limit, cursor);
        if (PublicApiQuery.CheckSearchWindow(paging, out var offset, out var windowLimit) is { } beyond)
        {
            throw new McpException(beyond.ForTool);
        }

        using var lease = await AcquireAsync(paging.Cursor, cancellationToken).ConfigureAwait(false);
        var view = lease.View;
        SearchResults results;
        try
        {
            results = await view.Search.SearchAsync(new SearchQuery(text, "component", status, type), offset, windowLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (NotSupportedException)
        {
            throw new McpException($"Search is not available on this instance yet; retry in {PublicApiEndpoints.RetryAfterSeconds} seconds.");
        }

        var items = results.Hits.Select(h => new SearchItem(
            h.Kind, h.Code, h.Score, null, view.GetComponent(h.Code) is { } component ? RegisterView.Summary(component) : null)).ToList();
        var (next, truncated) = PublicApiQuery.SearchNext(view, paging, offset, results.Hits.Count, results.Total);
        return new SearchPage(view.BuildId, results.Total, items, results.Facets, next, PublicApiQuery.Next("/v1/search", filters, paging.Limit, next, ("q", text)), truncated);
    }

    [McpServerTool(Name = GetComponentName, Title = "A training component", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "One training component by code: title, types, status, releases, usage recommendation history, the supersession " +
        "chain both ways, how many RTOs have it on current scope, and its signed token link (token.id, token.uri) and proof " +
        "link. The answer of GET /v1/components/{code}.")]
    public async Task<ComponentDetail> GetComponentAsync(
        [Description("The component code, e.g. BSB50120 (letters, digits, '.', '_', '-').")] string code,
        CancellationToken cancellationToken = default)
    {
        CheckCode(code);
        using var lease = await AcquireAsync(null, cancellationToken).ConfigureAwait(false);
        return lease.View.GetComponentDetail(code) ?? throw new McpException($"The register has no component '{code}'.");
    }

    [McpServerTool(Name = GetRtoName, Title = "A registered training organisation", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "One registered training organisation (RTO) by code: legal and trading names, ABN, registration status, manager and " +
        "dates, contacts and addresses, scope counts, its sanctions screening, and its signed token link (token.id, " +
        "token.uri) and proof link. The answer of GET /v1/rtos/{code}.")]
    public async Task<Rto> GetRtoAsync(
        [Description("The RTO code, e.g. 0022 (letters, digits, '.', '_', '-').")] string code,
        CancellationToken cancellationToken = default)
    {
        CheckCode(code);
        using var lease = await AcquireAsync(null, cancellationToken).ConfigureAwait(false);
        return lease.View.GetRto(code) ?? throw new McpException($"The register has no RTO '{code}'.");
    }

    [McpServerTool(Name = RtoScopeName, Title = "An RTO's scope", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "The scope of registration of an RTO: the components it may deliver (or did), each with extent, dates and whether it " +
        "is current; optionally only current or only historical rows. Paged; pass nextCursor back as cursor. The answer of " +
        "GET /v1/rtos/{code}/scope.")]
    public async Task<PublicApiPage<ScopeRow>> RtoScopeAsync(
        [Description("The RTO code.")] string code,
        [Description("true: only current scope; false: only historical scope; all rows when left out.")] bool? current = null,
        [Description("Rows per page, 1 to 500; 50 when left out.")] long? limit = null,
        [Description("The nextCursor of the previous page, with the same code and filter.")] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        CheckCode(code);
        var filters = Filters(("current", current is { } c ? (c ? "true" : "false") : null));
        var paging = Paging("ListRtoScope|" + code, filters, limit, cursor);
        using var lease = await AcquireAsync(paging.Cursor, cancellationToken).ConfigureAwait(false);
        var rows = lease.View.FindScope(code, current) ?? throw new McpException($"The register has no RTO '{code}'.");
        return Page(lease.View, rows, paging, "/v1/rtos/" + code + "/scope", filters);
    }

    [McpServerTool(Name = ComponentProvidersName, Title = "RTOs that deliver a component", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "The RTOs with a training component on their current scope, optionally only those with a location in one state; " +
        "each with the RTO's summary (with its token link) and the scope row. Paged; pass nextCursor back as cursor. The " +
        "answer of GET /v1/components/{code}/providers.")]
    public async Task<PublicApiPage<ComponentProvider>> ComponentProvidersAsync(
        [Description("The component code.")] string code,
        [Description("Only RTOs with a location in this state or territory: NSW, VIC, QLD, SA, WA, TAS, NT, ACT.")] string? state = null,
        [Description("RTOs per page, 1 to 500; 50 when left out.")] long? limit = null,
        [Description("The nextCursor of the previous page, with the same code and filter.")] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        CheckCode(code);
        var filters = Filters(("state", state));
        var paging = Paging("ListComponentProviders|" + code, filters, limit, cursor);
        using var lease = await AcquireAsync(paging.Cursor, cancellationToken).ConfigureAwait(false);
        if (lease.View.GetComponent(code) is null)
        {
            throw new McpException($"The register has no component '{code}'.");
        }

        return Page(lease.View, lease.View.FindProviders(code, state), paging, "/v1/components/" + code + "/providers", filters);
    }

    /// <summary>The generation a cursor is pinned to, else the current one; a tool error saying why when there is none.</summary>
    private async Task<RegisterLease> AcquireAsync(RegisterCursor? pinned, CancellationToken cancellationToken)
    {
        var acquired = pinned is not null
            ? await generations.AcquirePinnedAsync(pinned.BuildHex, cancellationToken).ConfigureAwait(false)
            : await generations.AcquireCurrentAsync(cancellationToken).ConfigureAwait(false);
        return acquired switch
        {
            { Outcome: RegisterOutcome.Acquired, Lease: { } lease } => lease,
            { Outcome: RegisterOutcome.Expired } => throw new McpException(
                $"The cursor's generation (build sha256:{pinned?.BuildHex}) is not one this instance can serve: start again without a cursor."),
            { Outcome: RegisterOutcome.NothingPublished } => throw new McpException(
                $"The register is not ready: nothing has been published yet. Retry in {PublicApiEndpoints.RetryAfterSeconds} seconds."),
            _ => throw new McpException($"The register is not available just now. Retry in {PublicApiEndpoints.RetryAfterSeconds} seconds."),
        };
    }

    private static PublicApiPage<T> Page<T>(RegisterView view, IReadOnlyList<T> items, PublicApiPaging paging, string path, List<KeyValuePair<string, string?>> filters)
    {
        var page = view.Page(items, paging.Cursor?.Position ?? 0, paging.Limit, paging.Fingerprint);
        return new PublicApiPage<T>(page.BuildId, page.Total, page.Items, page.NextCursor, PublicApiQuery.Next(path, filters, paging.Limit, page.NextCursor));
    }

    /// <summary>The filters in the order <c>/v1</c> declares them, checked as <c>/v1</c> checks them.</summary>
    private static List<KeyValuePair<string, string?>> Filters(params (string Name, string? Value)[] filters)
    {
        List<KeyValuePair<string, string?>> checkedFilters = [.. filters.Select(f => KeyValuePair.Create(f.Name, f.Value))];
        return PublicApiQuery.CheckFilters(checkedFilters) is { } refusal ? throw new McpException(refusal.ForTool) : checkedFilters;
    }

    /// <summary>The limit and cursor, checked as <c>/v1</c> checks them, with the <c>/v1</c> listing's fingerprint.</summary>
    private static PublicApiPaging Paging(string operation, List<KeyValuePair<string, string?>> filters, long? limit, string? cursor) =>
        // A long, so that any JSON integer reaches this check rather than failing the SDK's binding without a reason.
        PublicApiQuery.CheckPaging(operation, filters, limit, cursor, out var paging) is { } refusal ? throw new McpException(refusal.ForTool) : paging;

    /// <summary>A register code as <c>/v1</c> takes it in a route.</summary>
    private static void CheckCode(string code)
    {
        if (PublicApiQuery.CheckCode(code) is { } refusal)
        {
            throw new McpException(refusal.ForTool);
        }
    }
}
