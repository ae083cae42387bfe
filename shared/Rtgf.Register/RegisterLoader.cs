using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Register;

/// <summary>
/// Builds a <see cref="RegisterView"/> from storage: the build's snapshots (immutable, so any instance can rebuild any
/// generation) and the registry's current tokens per family, paged (never one lookup per record).
/// </summary>
public sealed class RegisterLoader(
    ITokenRegistry registry, IBuildStore builds, ISnapshotStore snapshots, string publicBaseUrl, CatalogueSearchFactory searchFactory)
{
    public const string RtoRegistration = "rto-registration";
    public const string RtoScope = "rto-scope";
    public const string SanctionsScreen = "sanctions-screen";
    public const string TrainingComponent = "training-component";
    public const string CricosCourse = "cricos-course";
    private const int TokenPage = 500;

    private readonly string _baseUrl = publicBaseUrl.TrimEnd('/');

    /// <summary>The build id of the latest publication, or null before the first.</summary>
    public async Task<string?> LatestBuildIdAsync(CancellationToken cancellationToken = default) =>
        (await registry.GetLatestPublicationAsync(cancellationToken).ConfigureAwait(false))?.BuildId;

    /// <summary>The generation of <paramref name="buildId"/>, or null when no such build is stored.</summary>
    public async Task<RegisterView?> LoadAsync(string buildId, CancellationToken cancellationToken = default)
    {
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
            records.Read(snapshot.Records.Span, link);
            if (input.Source == RegisterSources.Tga)
            {
                asOf = snapshot.Manifest.FetchedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
        }

        var tokens = new Dictionary<string, Dictionary<string, RegisteredToken>>(StringComparer.Ordinal);
        foreach (var family in new[] { RtoRegistration, RtoScope, SanctionsScreen, TrainingComponent, CricosCourse })
        {
            tokens[family] = await TokensAsync(family, cancellationToken).ConfigureAwait(false);
        }

        return Assemble(buildId, asOf, inputs, records, tokens);
    }

    private RegisterView Assemble(
        string buildId, string asOf, List<SnapshotLink> inputs, SnapshotRecords records, Dictionary<string, Dictionary<string, RegisteredToken>> tokens)
    {
        var registrations = tokens[RtoRegistration];
        var parts = tokens[RtoScope];
        var screens = tokens[SanctionsScreen];

        var scopeByRto = new Dictionary<string, ScopeRow[]>(StringComparer.Ordinal);
        foreach (var group in records.Scope.GroupBy(s => s.Organisation, StringComparer.Ordinal))
        {
            var partOf = ScopeParts(group.Key, parts);
            registrations.TryGetValue("rto:" + group.Key, out var registration);
            scopeByRto[group.Key] = [.. group
                .Select(s => s.Row)
                .OrderBy(r => r.ComponentCode, StringComparer.Ordinal).ThenBy(r => r.StartDate, StringComparer.Ordinal)
                .Select(row =>
                {
                    var current = !row.IsRefused && (row.EndDate is null || string.CompareOrdinal(row.EndDate, asOf) >= 0)
                        && (row.StartDate is null || string.CompareOrdinal(row.StartDate, asOf) <= 0);

                    // Refused rows are in no token; a large scope's rows are in the part that lists them, a small one's in the registration.
                    var token = row.IsRefused ? null
                        : partOf.Count > 0 ? partOf.GetValueOrDefault(row.ComponentCode)
                        : registration;
                    return row with { Current = current, Token = Link(token), Proof = Proof(token) };
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
                    SanctionsScreening = Screening(screens.GetValueOrDefault("rto:" + r.Code)),
                    Token = Link(registration),
                    Proof = Proof(registration),
                };
            })
            .ToList();

        var componentTokens = tokens[TrainingComponent];
        var components = records.Components
            .OrderBy(c => c.Code, StringComparer.Ordinal)
            .Select(c => componentTokens.GetValueOrDefault("tc:" + c.Code) is { } t ? c with { Token = Link(t), Proof = Proof(t) } : c)
            .ToList();

        var courseTokens = tokens[CricosCourse];
        var coursesByProvider = records.CricosCourses
            .Select(c => courseTokens.GetValueOrDefault($"cricos:{c.ProviderCode}:{c.CourseCode}") is { } t ? c with { Token = Link(t), Proof = Proof(t) } : c)
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

        return new RegisterView(buildId, asOf, inputs, rtos, scopeByRto, components, cricos, coursesByProvider, locationsByProvider, teqsa, records.Sanctions, searchFactory);
    }

    private async Task<Dictionary<string, RegisteredToken>> TokensAsync(string family, CancellationToken cancellationToken)
    {
        var bySubject = new Dictionary<string, RegisteredToken>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await registry.ListAsync(family, cursor, TokenPage, cancellationToken).ConfigureAwait(false);
            foreach (var token in page.Items)
            {
                bySubject[token.Subject] = token;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return bySubject;
    }

    /// <summary>For an RTO whose scope is split into <c>rto-scope</c> parts: the part token that lists each component.</summary>
    private static Dictionary<string, RegisteredToken> ScopeParts(string code, Dictionary<string, RegisteredToken> parts)
    {
        var byComponent = new Dictionary<string, RegisteredToken>(StringComparer.Ordinal);
        for (var part = 1; parts.TryGetValue(string.Create(CultureInfo.InvariantCulture, $"rto:{code}/scope/{part}"), out var token); part++)
        {
            using var facts = Facts(token.Jws);
            if (facts.RootElement.TryGetProperty("facts", out var f) && f.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    if (item.TryGetProperty("component", out var component) && component.ValueKind == JsonValueKind.String)
                    {
                        byComponent[component.GetString()!] = token;
                    }
                }
            }
        }

        return byComponent;
    }

    private SanctionsScreening? Screening(RegisteredToken? token)
    {
        if (token is null)
        {
            return null;
        }

        using var payload = Facts(token.Jws);
        if (!payload.RootElement.TryGetProperty("facts", out var facts) || facts.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        static string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
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
            Link(token)!,
            Proof(token)!);
    }

    /// <summary>The JWS payload (the compiled claims, <c>facts</c> among them).</summary>
    private static JsonDocument Facts(string jws)
    {
        var parts = jws.Split('.');
        return JsonDocument.Parse(Base64Url.DecodeFromChars(parts.Length == 3 ? parts[1] : throw new FormatException("A registered token is not a compact JWS.")));
    }

    private TokenLink? Link(RegisteredToken? token) =>
        token is null ? null : new TokenLink(token.TokenId, token.Family, $"{_baseUrl}/tokens/{token.TokenId}");

    private string? Proof(RegisteredToken? token) =>
        token is null ? null : string.Create(CultureInfo.InvariantCulture, $"{_baseUrl}/log/proofs/inclusion?index={token.LogIndex}");
}
