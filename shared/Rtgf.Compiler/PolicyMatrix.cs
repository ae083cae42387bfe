using System.Text.Json;
using Rtgf.Compiler.Policy;
using Rtgf.Core.Encoding;
using Rtgf.Core.Tokens;

namespace Rtgf.Compiler;

/// <summary>
/// The versioned policy matrix: which snapshot sources feed which token families, validity periods, subjects and limits.
/// Data, not code (<c>PolicyMatrix/policy-matrix.json</c>, embedded); validated when loaded. See docs/spec/compiler.md.
/// </summary>
public sealed class PolicyMatrix
{
    private const string ResourceName = "Rtgf.Compiler.policy-matrix.json";
    /// <summary>The token writer's and verifiers' maximum lifetime (<c>exp - iat</c>; the compiler sets <c>iat = nbf</c>).</summary>
    private const int MaxValidityDays = ReferenceTokenWriter.MaxLifetimeDays;
    private const int MaxScopeItemsLimit = 100_000;

    private static readonly System.Buffers.SearchValues<char> SourceChars = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>Kinds whose records start with the same member: a source holding both could not tell them apart.</summary>
    private static readonly (string, string)[] Indistinct = [("rto", "teqsa-provider"), ("component", "vacancy-series")];

    private PolicyMatrix(string version, string digest, IReadOnlyList<SourcePolicy> sources, IReadOnlyList<FamilyPolicy> families)
    {
        Version = version;
        Digest = digest;
        SourcePolicies = sources;
        FamilyPolicies = families;
        Sources = [.. sources.Select(s => s.Name)];
        RequiredSources = [.. sources.Where(s => s.Required).Select(s => s.Name)];
        Families = [.. families.Select(f => f.Name)];
    }

    public string Version { get; }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the matrix's canonical JSON: a changed matrix changes every build id, bumped version or not.</summary>
    public string Digest { get; }

    /// <summary>The snapshot sources the matrix reads, ordered by name.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>The sources a build waits for (<c>"required"</c>, the default), ordered by name; it proceeds without the others.</summary>
    public IReadOnlyList<string> RequiredSources { get; }

    /// <summary>The token families the matrix defines, ordered by name.</summary>
    public IReadOnlyList<string> Families { get; }

    /// <summary>The sources with the record kinds each may hold, ordered by name.</summary>
    public IReadOnlyList<SourcePolicy> SourcePolicies { get; }

    /// <summary>The families' rules, ordered by name.</summary>
    public IReadOnlyList<FamilyPolicy> FamilyPolicies { get; }

    /// <summary>The matrix shipped with this build (validated; a bad matrix fails start-up).</summary>
    public static PolicyMatrix LoadDefault()
    {
        using var stream = typeof(PolicyMatrix).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new PolicyMatrixException($"the embedded resource '{ResourceName}' is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray());
    }

    /// <summary>Reads and validates a matrix; any problem is a <see cref="PolicyMatrixException"/> naming it.</summary>
    public static PolicyMatrix Parse(ReadOnlySpan<byte> utf8Json)
    {
        byte[] canonical;
        try
        {
            canonical = CanonicalJson.Canonicalize(utf8Json);
        }
        catch (CanonicalJsonException e)
        {
            throw new PolicyMatrixException("not valid JSON: " + e.Message, e);
        }

        using var document = JsonDocument.Parse(canonical);
        var root = document.RootElement;
        Expect(root, JsonValueKind.Object, "the document");
        OnlyMembers(root, "the document", "families", "sources", "version");
        var version = RequiredString(root, "version", "the document");

        var sources = new List<SourcePolicy>();
        foreach (var item in RequiredArray(root, "sources", "the document"))
        {
            sources.Add(ParseSource(item));
        }

        sources.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < sources.Count; i++)
        {
            if (string.Equals(sources[i].Name, sources[i - 1].Name, StringComparison.Ordinal))
            {
                throw new PolicyMatrixException($"duplicate source '{sources[i].Name}'.");
            }
        }

        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            foreach (var kind in source.Records)
            {
                if (!owners.TryAdd(kind, source.Name))
                {
                    throw new PolicyMatrixException($"record kind '{kind}' is assigned to both '{owners[kind]}' and '{source.Name}'.");
                }
            }
        }

        var families = new List<FamilyPolicy>();
        foreach (var item in RequiredArray(root, "families", "the document"))
        {
            families.Add(ParseFamily(item, sources));
        }

        families.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < families.Count; i++)
        {
            if (string.Equals(families[i].Name, families[i - 1].Name, StringComparison.Ordinal))
            {
                throw new PolicyMatrixException($"duplicate family '{families[i].Name}'.");
            }
        }

        if (families.Count == 0)
        {
            throw new PolicyMatrixException("no families are defined.");
        }

        var registration = families.Find(f => f.Name == FamilyCatalog.RtoRegistration);
        var scope = families.Find(f => f.Name == FamilyCatalog.RtoScope);
        if (registration is not null && (scope is null || !scope.Sources.SequenceEqual(registration.Sources, StringComparer.Ordinal)))
        {
            throw new PolicyMatrixException(
                $"family '{FamilyCatalog.RtoRegistration}' splits large scopes into '{FamilyCatalog.RtoScope}' part tokens: define '{FamilyCatalog.RtoScope}' with the same sources.");
        }

        if (scope is not null && registration is null)
        {
            throw new PolicyMatrixException($"family '{FamilyCatalog.RtoScope}' only exists beside '{FamilyCatalog.RtoRegistration}'.");
        }

        var digest = Sha256Digest.Of(canonical);
        return new PolicyMatrix(version, digest, sources, families);
    }

    /// <summary>The rule for <paramref name="family"/>, or null when the matrix does not define it.</summary>
    public FamilyPolicy? Find(string family) => FamilyPolicies.FirstOrDefault(f => string.Equals(f.Name, family, StringComparison.Ordinal));

    private static SourcePolicy ParseSource(JsonElement item)
    {
        Expect(item, JsonValueKind.Object, "a source");
        var name = RequiredString(item, "name", "a source");
        var where = $"source '{name}'";
        OnlyMembers(item, where, "name", "records", "required");
        if (name.Length is 0 or > 63 || name.AsSpan().ContainsAnyExcept(SourceChars))
        {
            throw new PolicyMatrixException($"{where}: a source name is lowercase letters, digits and '-' (as snapshots name it).");
        }

        var records = StringList(item, "records", where);
        foreach (var kind in records)
        {
            if (!FamilyCatalog.RecordKinds.Contains(kind))
            {
                throw new PolicyMatrixException($"{where}: unknown record kind '{kind}' (known: {string.Join(", ", FamilyCatalog.RecordKinds)}).");
            }
        }

        foreach (var (first, second) in Indistinct)
        {
            if (records.Contains(first) && records.Contains(second))
            {
                throw new PolicyMatrixException($"{where}: '{first}' and '{second}' records start with the same member, so one source cannot hold both.");
            }
        }

        var required = true;
        if (item.TryGetProperty("required", out var flag))
        {
            required = flag.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new PolicyMatrixException($"{where}: 'required' must be true or false (a build waits for a required source's first snapshot)."),
            };
        }

        return new SourcePolicy(name, records, required);
    }

    private static FamilyPolicy ParseFamily(JsonElement item, List<SourcePolicy> sources)
    {
        Expect(item, JsonValueKind.Object, "a family");
        var name = RequiredString(item, "name", "a family");
        var where = $"family '{name}'";
        if (!FamilyCatalog.Names.Contains(name))
        {
            throw new PolicyMatrixException($"unknown family '{name}' (this compiler builds: {string.Join(", ", FamilyCatalog.Names)}).");
        }

        OnlyMembers(item, where, "limits", "name", "screening", "sources", "subject", "validityDays");

        // Sources keep their declared order: the first is the primary (its digest is the token's snap).
        var familySources = new List<string>();
        foreach (var source in item.TryGetProperty("sources", out var list) && list.ValueKind == JsonValueKind.Array
                     ? list.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString()! : throw new PolicyMatrixException($"{where}: 'sources' holds a non-string."))
                     : throw new PolicyMatrixException($"{where}: 'sources' must be a non-empty array of source names."))
        {
            if (!sources.Exists(s => s.Name == source))
            {
                throw new PolicyMatrixException($"{where}: unknown source '{source}' (declared: {string.Join(", ", sources.Select(s => s.Name))}).");
            }

            if (familySources.Contains(source))
            {
                throw new PolicyMatrixException($"{where}: source '{source}' is listed twice.");
            }

            familySources.Add(source);
        }

        if (familySources.Count == 0)
        {
            throw new PolicyMatrixException($"{where}: 'sources' must name at least one source.");
        }

        foreach (var needed in FamilyCatalog.NeededRecords(name))
        {
            if (!sources.Exists(s => familySources.Contains(s.Name) && s.Records.Contains(needed)))
            {
                throw new PolicyMatrixException($"{where}: needs '{needed}' records, which none of its sources ({string.Join(", ", familySources)}) holds.");
            }
        }

        if (!item.TryGetProperty("subject", out var subjectText) || subjectText.ValueKind != JsonValueKind.String || subjectText.GetString()!.Length == 0)
        {
            throw new PolicyMatrixException($"{where}: missing subject rule ('subject', e.g. \"{Example(name)}\").");
        }

        var subject = SubjectTemplate.Parse(name, subjectText.GetString()!, FamilyCatalog.Placeholders(name));

        if (!item.TryGetProperty("validityDays", out var validity) || validity.ValueKind != JsonValueKind.Number
            || !validity.TryGetInt32(out var days) || days is < 1 or > MaxValidityDays)
        {
            throw new PolicyMatrixException($"{where}: bad validity period: 'validityDays' must be a whole number of days from 1 to {MaxValidityDays}.");
        }

        int? maxScope = null;
        if (item.TryGetProperty("limits", out var limits))
        {
            Expect(limits, JsonValueKind.Object, where + " 'limits'");
            OnlyMembers(limits, where + " 'limits'", name == FamilyCatalog.RtoRegistration ? ["maxScopeItems"] : []);
            if (limits.TryGetProperty("maxScopeItems", out var max))
            {
                maxScope = max.ValueKind == JsonValueKind.Number && max.TryGetInt32(out var value) && value is >= 1 and <= MaxScopeItemsLimit
                    ? value
                    : throw new PolicyMatrixException($"{where}: 'limits.maxScopeItems' must be a whole number from 1 to {MaxScopeItemsLimit}.");
            }
        }

        if (name == FamilyCatalog.RtoRegistration && maxScope is null)
        {
            throw new PolicyMatrixException($"{where}: needs 'limits.maxScopeItems' (scopes above it are split into '{FamilyCatalog.RtoScope}' parts).");
        }

        ScreeningPolicy? screening = null;
        if (item.TryGetProperty("screening", out var screen))
        {
            if (name != FamilyCatalog.SanctionsScreen)
            {
                throw new PolicyMatrixException($"{where}: 'screening' only applies to '{FamilyCatalog.SanctionsScreen}'.");
            }

            Expect(screen, JsonValueKind.Object, where + " 'screening'");
            OnlyMembers(screen, where + " 'screening'", "ignoredWords", "rule");
            var words = StringList(screen, "ignoredWords", where + " 'screening'");
            if (words.Any(w => w.Length == 0 || !string.Equals(w, w.ToUpperInvariant(), StringComparison.Ordinal) || w.Any(c => !char.IsLetterOrDigit(c))))
            {
                throw new PolicyMatrixException($"{where}: 'screening.ignoredWords' must be upper-case words of letters and digits.");
            }

            screening = new ScreeningPolicy(RequiredString(screen, "rule", where + " 'screening'"), [.. words.Order(StringComparer.Ordinal)]);
        }
        else if (name == FamilyCatalog.SanctionsScreen)
        {
            throw new PolicyMatrixException($"{where}: needs 'screening' (the matching rule written into every screen).");
        }

        return new FamilyPolicy(name, familySources, subject, days, maxScope, screening);
    }

    private static string Example(string family) =>
        string.Join(":", FamilyCatalog.Placeholders(family).Select(p => "{" + p + "}").Prepend(family));

    private static void Expect(JsonElement element, JsonValueKind kind, string what)
    {
        if (element.ValueKind != kind)
        {
            throw new PolicyMatrixException($"{what} must be a JSON {kind.ToString().ToLowerInvariant()}.");
        }
    }

    private static void OnlyMembers(JsonElement element, string where, params string[] allowed)
    {
        foreach (var member in element.EnumerateObject())
        {
            if (!allowed.Contains(member.Name, StringComparer.Ordinal))
            {
                throw new PolicyMatrixException(
                    $"{where}: unknown member '{member.Name}'" + (allowed.Length == 0 ? "." : $" (allowed: {string.Join(", ", allowed)})."));
            }
        }
    }

    private static string RequiredString(JsonElement owner, string name, string where) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0
            ? value.GetString()!
            : throw new PolicyMatrixException($"{where}: '{name}' must be a non-empty string.");

    private static JsonElement.ArrayEnumerator RequiredArray(JsonElement owner, string name, string where) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw new PolicyMatrixException($"{where}: '{name}' must be an array.");

    private static List<string> StringList(JsonElement owner, string name, string where)
    {
        var result = new List<string>();
        foreach (var value in RequiredArray(owner, name, where))
        {
            result.Add(value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new PolicyMatrixException($"{where}: '{name}' must hold strings only."));
        }

        if (result.Distinct(StringComparer.Ordinal).Count() != result.Count)
        {
            throw new PolicyMatrixException($"{where}: '{name}' lists a value twice.");
        }

        return result;
    }
}
