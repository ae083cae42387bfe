using Rtgf.Register.Search;

namespace Rtgf.Register;

/// <summary>
/// One generation of the register: everything the build of a publication read, with token links, immutable and answered
/// from memory. Its search index is disposed when the generation is retired and no request holds it
/// (<see cref="TryAcquire"/>/<see cref="Release"/>).
/// </summary>
public sealed class RegisterView
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Rto> _rtoByCode;
    private readonly Dictionary<string, ScopeRow[]> _scopeByRto;
    private readonly Dictionary<string, Component> _componentByCode;
    private readonly Dictionary<string, ComponentProvider[]> _providersByComponent;
    private readonly Dictionary<string, CricosProvider> _cricosByCode;
    private readonly Dictionary<string, CricosCourse[]> _coursesByProvider;
    private readonly Dictionary<string, CricosLocation[]> _locationsByProvider;
    private readonly Dictionary<string, CricosCourse> _courseByCode;
    private readonly Dictionary<string, TeqsaProvider> _teqsaById;
    private readonly ICatalogueSearch _search;
    private int _leases;
    private bool _retired;
    private bool _disposed;

    internal RegisterView(
        string buildId,
        string asOf,
        IReadOnlyList<SnapshotLink> inputs,
        IReadOnlyList<Rto> rtos,
        Dictionary<string, ScopeRow[]> scopeByRto,
        IReadOnlyList<Component> components,
        IReadOnlyList<CricosProvider> cricosProviders,
        Dictionary<string, CricosCourse[]> coursesByProvider,
        Dictionary<string, CricosLocation[]> locationsByProvider,
        IReadOnlyList<TeqsaProvider> teqsaProviders,
        int sanctionsListings,
        LabourMarket labourMarket,
        CatalogueSearchFactory searchFactory)
    {
        BuildId = buildId;
        BuildHex = buildId.StartsWith("sha256:", StringComparison.Ordinal) ? buildId["sha256:".Length..] : buildId;
        AsOf = asOf;
        Inputs = inputs;
        Rtos = rtos;
        RtoSummaries = [.. rtos.Select(Summary)];
        _rtoByCode = rtos.ToDictionary(r => r.Code, StringComparer.Ordinal);
        _scopeByRto = scopeByRto;
        Components = components;
        ComponentSummaries = [.. components.Select(Summary)];
        LabourMarket = labourMarket;
        _componentByCode = components.ToDictionary(c => c.Code, StringComparer.Ordinal);
        // Scope rows of an organisation with no RTO record (deleted upstream) are kept under its code but list no provider.
        _providersByComponent = scopeByRto
            .Where(pair => _rtoByCode.ContainsKey(pair.Key))
            .SelectMany(pair => pair.Value.Where(row => row.Current).Select(row => (Component: row.ComponentCode, Provider: new ComponentProvider(Summary(_rtoByCode[pair.Key]), row))))
            .GroupBy(p => p.Component, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Provider).OrderBy(p => p.Rto.Code, StringComparer.Ordinal).ToArray(), StringComparer.OrdinalIgnoreCase);
        CricosProviders = cricosProviders;
        _cricosByCode = cricosProviders.ToDictionary(p => p.ProviderCode, StringComparer.Ordinal);
        _coursesByProvider = coursesByProvider;
        _locationsByProvider = locationsByProvider;
        _courseByCode = coursesByProvider.Values.SelectMany(c => c)
            .GroupBy(c => c.CourseCode, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.ProviderCode, StringComparer.Ordinal).First(), StringComparer.Ordinal);
        TeqsaProviders = teqsaProviders;
        _teqsaById = teqsaProviders.ToDictionary(p => p.ProviderId, StringComparer.Ordinal);

        var courses = coursesByProvider.Values.SelectMany(c => c).ToList();
        Stats = RegisterStats.Count(
            buildId, asOf, rtos, [.. scopeByRto.Values.SelectMany(rows => rows)], r => r.Current, components,
            cricosProviders.Count, courses, locationsByProvider.Values.Sum(l => l.Length), teqsaProviders, sanctionsListings);

        _search = searchFactory(SearchDocuments());
    }

    /// <summary>The build this generation shows (<c>sha256:&lt;hex&gt;</c>).</summary>
    public string BuildId { get; }

    public string BuildHex { get; }

    /// <summary>The date (yyyy-MM-dd, UTC) the TGA snapshot was fetched: scope rows are current on it.</summary>
    public string AsOf { get; }

    public IReadOnlyList<SnapshotLink> Inputs { get; }

    /// <summary>Every RTO, ordered by code (ordinal).</summary>
    public IReadOnlyList<Rto> Rtos { get; }

    public IReadOnlyList<RtoSummary> RtoSummaries { get; }

    /// <summary>Every component, ordered by code (ordinal).</summary>
    public IReadOnlyList<Component> Components { get; }

    /// <summary>Every component's summary, built once per generation (a list of 22,000 units is not rebuilt per request).</summary>
    public IReadOnlyList<ComponentSummary> ComponentSummaries { get; }

    public IReadOnlyList<CricosProvider> CricosProviders { get; }

    public IReadOnlyList<TeqsaProvider> TeqsaProviders { get; }

    public RegisterStats Stats { get; }

    /// <summary>Occupations, vacancy and ABS series, and the component ↔ occupation links (empty when the build read none).</summary>
    public LabourMarket LabourMarket { get; }

    public ICatalogueSearch Search => _search;

    public Rto? GetRto(string code) => _rtoByCode.GetValueOrDefault(code);

    /// <summary>An RTO's scope rows (ordered by component code, then start date), or null for an unknown RTO.</summary>
    public IReadOnlyList<ScopeRow>? GetScope(string code) =>
        _rtoByCode.ContainsKey(code) ? _scopeByRto.GetValueOrDefault(code) ?? [] : null;

    public Component? GetComponent(string code) => _componentByCode.GetValueOrDefault(code);

    /// <summary>The RTOs with <paramref name="component"/> (code ignoring case) on current scope (ordered by RTO code).</summary>
    public IReadOnlyList<ComponentProvider> GetProviders(string component) => _providersByComponent.GetValueOrDefault(component) ?? [];

    /// <summary>A component with its supersession chain followed transitively both ways (breadth first, nearest first, no repeats).</summary>
    public ComponentDetail? GetComponentDetail(string code) =>
        GetComponent(code) is { } component
            ? new ComponentDetail(component, Chain(component, c => c.Supersedes), Chain(component, c => c.SupersededBy), GetProviders(code).Count)
            : null;

    public CricosProviderDetail? GetCricosProvider(string code) =>
        _cricosByCode.GetValueOrDefault(code) is { } provider
            ? new CricosProviderDetail(provider, _locationsByProvider.GetValueOrDefault(code) ?? [], _coursesByProvider.GetValueOrDefault(code) ?? [])
            : null;

    /// <summary>A CRICOS course by code (course codes are national; should two providers list one, the first provider's).</summary>
    public CricosCourse? GetCricosCourse(string code) => _courseByCode.GetValueOrDefault(code);

    public TeqsaProvider? GetTeqsaProvider(string id) => _teqsaById.GetValueOrDefault(id);

    /// <summary>RTOs matching every given filter (values compared ignoring case), ordered by code.</summary>
    public IReadOnlyList<RtoSummary> FindRtos(string? status = null, string? state = null, string? registrationManager = null, string? component = null)
    {
        HashSet<string>? withComponent = component is null ? null : [.. GetProviders(component).Select(p => p.Rto.Code)];
        return [.. RtoSummaries.Where(r =>
            (status is null || Same(r.Status, status))
            && (state is null || r.States.Any(s => Same(s, state)))
            && (registrationManager is null || Same(r.RegistrationManager, registrationManager))
            && (withComponent is null || withComponent.Contains(r.Code)))];
    }

    /// <summary>
    /// Components of a type and status (ignoring case), ordered by code; with <paramref name="shortageIn"/> (a state code or
    /// <c>national</c>), only those leading to an occupation in shortage (S, R or M) there.
    /// </summary>
    public IReadOnlyList<ComponentSummary> FindComponents(string? type = null, string? status = null, string? shortageIn = null) =>
        type is null && status is null && shortageIn is null
            ? ComponentSummaries
            : [.. ComponentSummaries.Where(c =>
                (type is null || c.ComponentTypes.Any(t => Same(t, type)))
                && (status is null || Same(c.Status, status))
                && (shortageIn is null || LabourMarket.LeadsToShortage(c.Code, shortageIn)))];

    /// <summary>The RTOs with a component on current scope, in a state when given.</summary>
    public IReadOnlyList<ComponentProvider> FindProviders(string component, string? state = null) =>
        [.. GetProviders(component).Where(p => state is null || p.Rto.States.Any(s => Same(s, state)))];

    /// <summary>An RTO's scope rows, only current or only historical ones when asked; null for an unknown RTO.</summary>
    public IReadOnlyList<ScopeRow>? FindScope(string code, bool? current = null) =>
        GetScope(code) is { } rows ? [.. rows.Where(r => current is null || r.Current == current)] : null;

    /// <summary>A page of <paramref name="items"/> from <paramref name="offset"/>, with the cursor of the next page pinned to this generation.</summary>
    public RegisterPage<T> Page<T>(IReadOnlyList<T> items, int offset, int limit, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(items);
        var start = Math.Min(Math.Max(0, offset), items.Count);
        var end = (int)Math.Min((long)start + Math.Max(1, limit), items.Count);
        var next = end < items.Count ? new RegisterCursor(BuildHex, end, fingerprint).Encode() : null;
        return new RegisterPage<T>(BuildId, items.Count, [.. items.Skip(start).Take(end - start)], next);
    }

    public static RtoSummary Summary(Rto rto)
    {
        ArgumentNullException.ThrowIfNull(rto);
        return new RtoSummary(rto.Code, rto.LegalName, rto.Abn, rto.Status, rto.RegistrationManager, rto.States, rto.Token, rto.Proof);
    }

    public static ComponentSummary Summary(Component component)
    {
        ArgumentNullException.ThrowIfNull(component);
        return new ComponentSummary(component.Code, component.Title, component.ComponentTypes, component.Status, component.Currency, component.Token, component.Proof);
    }

    /// <summary>Takes a hold on the generation (its search index stays open); false once it is retired.</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (_retired)
            {
                return false;
            }

            _leases++;
            return true;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _leases--;
            DisposeIfDone();
        }
    }

    /// <summary>No new holds; the search index closes when the last hold is released.</summary>
    internal void Retire()
    {
        lock (_gate)
        {
            _retired = true;
            DisposeIfDone();
        }
    }

    private void DisposeIfDone()
    {
        if (_retired && _leases == 0 && !_disposed)
        {
            _disposed = true;
            _search.Dispose();
        }
    }

    private static bool Same(string? value, string wanted) => string.Equals(value, wanted, StringComparison.OrdinalIgnoreCase);

    private List<string> Chain(Component start, Func<Component, IReadOnlyList<string>> next)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start.Code };
        var chain = new List<string>();
        var queue = new Queue<string>(next(start));
        while (queue.TryDequeue(out var code))
        {
            if (!seen.Add(code))
            {
                continue;
            }

            chain.Add(code);
            if (GetComponent(code) is { } component)
            {
                foreach (var further in next(component))
                {
                    queue.Enqueue(further);
                }
            }
        }

        return chain;
    }

    private IEnumerable<SearchDocument> SearchDocuments() =>
        Rtos.Select(r => new SearchDocument(
                "rto", r.Code, r.LegalName ?? r.Code, [.. (r.LegalName is null ? [] : new[] { r.LegalName }).Concat(r.TradingNames)], r.Abn, r.Status, [], r.States, r.RegistrationManager))
            .Concat(Components.Select(c => new SearchDocument("component", c.Code, c.Title, [], null, c.Status, c.ComponentTypes, [], null)));
}
