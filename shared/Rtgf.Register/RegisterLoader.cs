using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Register;

/// <summary>
/// Builds a <see cref="RegisterView"/> from storage: the build's snapshots (immutable) and the registry's catalog per family,
/// paged, as of the publication (never one lookup per record: tokens are read only where their facts are shown).
/// </summary>
public sealed class RegisterLoader(
    ITokenRegistry registry, IBuildStore builds, ISnapshotStore snapshots, string publicBaseUrl, CatalogueSearchFactory searchFactory)
{
    public const string RtoRegistration = "rto-registration";
    public const string RtoScope = "rto-scope";
    public const string SanctionsScreen = "sanctions-screen";
    public const string TrainingComponent = "training-component";
    public const string CricosCourse = "cricos-course";
    public const string OccupationShortage = "occupation-shortage";

    /// <summary>The subject of an occupation's <see cref="OccupationShortage"/> token: <c>occupation:{classification}:{code}</c>.</summary>
    public static string OccupationSubject(string classification, string code) => $"occupation:{classification}:{code}";

    private const int TokenPage = 500;
    private const int TokenReads = 16;

    private readonly string _baseUrl = publicBaseUrl.TrimEnd('/');

    /// <summary>The latest publication, or null before the first.</summary>
    public Task<Publication?> LatestPublicationAsync(CancellationToken cancellationToken = default) =>
        registry.GetLatestPublicationAsync(cancellationToken);

    /// <summary>
    /// The generation of <paramref name="publication"/>'s build, or null when that build is not stored. Its links are the
    /// catalog's tokens logged by that publication or before (index below its tree size): the catalog is the registry's
    /// current one, so a later publication's tokens (which may assert other facts) are left out and those records link none.
    /// </summary>
    public async Task<RegisterView?> LoadAsync(Publication publication, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publication);
        var buildId = publication.BuildId;
        var build = await builds.GetAsync(buildId, cancellationToken).ConfigureAwait(false);
        if (build is null)
        {
            return null;
        }

        var records = new SnapshotRecords();
        var inputs = new List<SnapshotLink>();
        var asOf = "";
        foreach (var input in build.Inputs.OrderBy(i => i.Source, StringComparer.Ordinal))
        {
            var snapshot = await snapshots.GetAsync(input.Source, input.Digest, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Build {buildId} read snapshot {input.Source}@{input.Digest}, which is no longer stored.");
            var link = new SnapshotLink(input.Source, input.Digest);
            inputs.Add(link);
            records.Read(snapshot.Records, link);
            if (input.Source == RegisterSources.Tga)
            {
                asOf = RegisterStats.AsOfDay(snapshot.Manifest.FetchedAt);
            }
        }

        var tokens = new Dictionary<string, Dictionary<string, CatalogEntry>>(StringComparer.Ordinal);
        foreach (var family in new[] { RtoRegistration, RtoScope, SanctionsScreen, TrainingComponent, CricosCourse, OccupationShortage })
        {
            tokens[family] = await EntriesAsync(family, publication.TreeSize, cancellationToken).ConfigureAwait(false);
        }

        // Facts are read only where the register shows them: the components each scope part lists, and the screening result.
        var jws = await JwsAsync(tokens[RtoScope].Values.Concat(tokens[SanctionsScreen].Values), cancellationToken).ConfigureAwait(false);
        return Assemble(buildId, asOf, inputs, records, tokens, jws);
    }

    private RegisterView Assemble(
        string buildId, string asOf, List<SnapshotLink> inputs, SnapshotRecords records, Dictionary<string, Dictionary<string, CatalogEntry>> tokens, Dictionary<string, string> jws)
    {
        var registrations = tokens[RtoRegistration];
        var parts = tokens[RtoScope];
        var screens = tokens[SanctionsScreen];

        var links = new LinkCache(this);
        var scopeByRto = new Dictionary<string, ScopeRow[]>(StringComparer.Ordinal);
        foreach (var group in records.Scope.GroupBy(s => s.Organisation, StringComparer.Ordinal))
        {
            var partOf = ScopeParts(group.Key, parts, jws);
            registrations.TryGetValue("rto:" + group.Key, out var registration);
            scopeByRto[group.Key] = [.. group
                .Select(s => s.Row)
                .OrderBy(r => r.ComponentCode, StringComparer.Ordinal).ThenBy(r => r.StartDate, StringComparer.Ordinal)
                .Select(row =>
                {
                    var current = RegisterStats.IsCurrent(row, asOf);

                    // Refused rows are in no token; a large scope's rows are in the part that lists them, a small one's in the registration.
                    var token = row.IsRefused ? null
                        : partOf.Count > 0 ? partOf.GetValueOrDefault(ScopeKey(row.ComponentCode, row.StartDate, row.EndDate, row.Extent, row.IsImplicit))
                        : registration;
                    var (link, proof) = links.Of(token, partOf.Count > 0 ? RtoScope : RtoRegistration);
                    return row with { Current = current, Token = link, Proof = proof };
                })];
        }

        var rtos = records.Rtos
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(r =>
            {
                var registration = registrations.GetValueOrDefault("rto:" + r.Code);
                var scope = scopeByRto.GetValueOrDefault(r.Code) ?? [];
                return r with
                {
                    CurrentScopeCount = scope.Count(s => s.Current),
                    ScopeCount = scope.Length,
                    SanctionsScreening = Screening(screens.GetValueOrDefault("rto:" + r.Code), jws),
                    Token = Link(registration, RtoRegistration),
                    Proof = Proof(registration),
                };
            })
            .ToList();

        var componentTokens = tokens[TrainingComponent];
        var components = records.Components
            .OrderBy(c => c.Code, StringComparer.Ordinal)
            .Select(c => componentTokens.GetValueOrDefault("tc:" + c.Code) is { } t ? c with { Token = Link(t, TrainingComponent), Proof = Proof(t) } : c)
            .ToList();

        var courseTokens = tokens[CricosCourse];
        var coursesByProvider = records.CricosCourses
            .Select(c => courseTokens.GetValueOrDefault($"cricos:{c.ProviderCode}:{c.CourseCode}") is { } t ? c with { Token = Link(t, CricosCourse), Proof = Proof(t) } : c)
            .GroupBy(c => c.ProviderCode, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.CourseCode, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var locationsByProvider = records.CricosLocations
            .GroupBy(l => l.Provider, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => l.Location).OrderBy(l => l.LocationName, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var cricos = records.CricosProviders
            .OrderBy(p => p.ProviderCode, StringComparer.Ordinal)
            .Select(p => p with { CourseCount = coursesByProvider.GetValueOrDefault(p.ProviderCode)?.Length ?? 0 })
            .ToList();
        var teqsa = records.TeqsaProviders.OrderBy(p => p.ProviderId, StringComparer.Ordinal).ToList();

        var occupationTokens = tokens[OccupationShortage];
        var labourMarket = new LabourMarket(
            records.Shortages,
            entry => occupationTokens.GetValueOrDefault(OccupationSubject(entry.Classification, entry.Code)) is { } t ? (Link(t, OccupationShortage), Proof(t)) : (null, null),
            records.Vacancies,
            records.LabourSeries,
            records.ComponentAnzscoOn(asOf),
            [.. components.Select(RegisterView.Summary)]);

        return new RegisterView(
            buildId, asOf, inputs, rtos, scopeByRto, components, cricos, coursesByProvider, locationsByProvider, teqsa, records.Sanctions, labourMarket, searchFactory);
    }

    /// <summary>The catalog of a family as of a publication: entries logged at or after its tree size belong to a later one.</summary>
    private async Task<Dictionary<string, CatalogEntry>> EntriesAsync(string family, long treeSize, CancellationToken cancellationToken)
    {
        var bySubject = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await registry.ListCatalogAsync(family, cursor, TokenPage, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Items.Where(e => e.LogIndex < treeSize))
            {
                bySubject[entry.Subject] = entry;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return bySubject;
    }

    /// <summary>The JWS of each entry by token id, <see cref="TokenReads"/> reads at a time (a token gone since is left out).</summary>
    private async Task<Dictionary<string, string>> JwsAsync(IEnumerable<CatalogEntry> entries, CancellationToken cancellationToken)
    {
        var jws = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            entries.Select(e => e.TokenId).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = TokenReads, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                if (await registry.GetAsync(id, ct).ConfigureAwait(false) is { } token)
                {
                    jws[id] = token.Jws;
                }
            }).ConfigureAwait(false);
        return new Dictionary<string, string>(jws, StringComparer.Ordinal);
    }

    /// <summary>
    /// For an RTO whose scope is split into <c>rto-scope</c> parts: the part token that lists each scope row, by the row's
    /// identity (a component's historical and current rows can fall in neighbouring parts).
    /// </summary>
    private static Dictionary<string, CatalogEntry> ScopeParts(string code, Dictionary<string, CatalogEntry> parts, Dictionary<string, string> jws)
    {
        var byRow = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        for (var part = 1; parts.TryGetValue(string.Create(CultureInfo.InvariantCulture, $"rto:{code}/scope/{part}"), out var token); part++)
        {
            if (!jws.TryGetValue(token.TokenId, out var text))
            {
                continue;
            }

            using var facts = Facts(text);
            if (facts.RootElement.TryGetProperty("facts", out var f) && f.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && Text(item, "component") is { } component)
                    {
                        var isImplicit = item.TryGetProperty("implicit", out var i) && i.ValueKind == JsonValueKind.True;
                        byRow[ScopeKey(component, Text(item, "start"), Text(item, "end"), Text(item, "extent"), isImplicit)] = token;
                    }
                }
            }
        }

        return byRow;
    }

    private static string ScopeKey(string component, string? start, string? end, string? extent, bool isImplicit) =>
        string.Join('\u001f', component, start ?? "", end ?? "", extent ?? "", isImplicit ? "1" : "0");

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private SanctionsScreening? Screening(CatalogEntry? token, Dictionary<string, string> jws)
    {
        if (token is null || !jws.TryGetValue(token.TokenId, out var text))
        {
            return null;
        }

        using var payload = Facts(text);
        if (!payload.RootElement.TryGetProperty("facts", out var facts) || facts.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var matches = facts.TryGetProperty("matches", out var m) && m.ValueKind == JsonValueKind.Array ? m.GetArrayLength() : 0;
        string[] names = facts.TryGetProperty("screened_names", out var n) && n.ValueKind == JsonValueKind.Array
            ? [.. n.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)]
            : [];
        return new SanctionsScreening(
            Text(facts, "result"),
            facts.TryGetProperty("rule", out var rule) ? Text(rule, "id") : null,
            facts.TryGetProperty("list", out var list) ? Text(list, "digest") : null,
            matches,
            names,
            Link(token, SanctionsScreen)!,
            Proof(token)!);
    }

    /// <summary>The JWS payload (the compiled claims, <c>facts</c> among them).</summary>
    private static JsonDocument Facts(string jws)
    {
        var parts = jws.Split('.');
        return JsonDocument.Parse(Base64Url.DecodeFromChars(parts.Length == 3 ? parts[1] : throw new FormatException("A registered token is not a compact JWS.")));
    }

    /// <summary>
    /// One link and proof URI per token: an RTO's scope rows (hundreds each, 500,000 nationally) share its registration
    /// token's, so they are built once, not per row.
    /// </summary>
    private sealed class LinkCache(RegisterLoader loader)
    {
        private readonly Dictionary<CatalogEntry, (TokenLink? Link, string? Proof)> _links = new(ReferenceEqualityComparer.Instance);

        public (TokenLink? Link, string? Proof) Of(CatalogEntry? token, string family)
        {
            if (token is null)
            {
                return (null, null);
            }

            if (!_links.TryGetValue(token, out var link))
            {
                _links.Add(token, link = (loader.Link(token, family), loader.Proof(token)));
            }

            return link;
        }
    }

    private TokenLink? Link(CatalogEntry? token, string family) =>
        token is null ? null : new TokenLink(token.TokenId, family, $"{_baseUrl}/tokens/{token.TokenId}");

    private string? Proof(CatalogEntry? token) =>
        token is null ? null : string.Create(CultureInfo.InvariantCulture, $"{_baseUrl}/log/proofs/inclusion?index={token.LogIndex}");
}
