using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using Rtgf.Compiler.Families;
using Rtgf.Compiler.Input;
using Rtgf.Compiler.Policy;
using Rtgf.Core.Encoding;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Compiler;

/// <summary>
/// The compiler: (snapshots, policy matrix, compiler version) → canonical token payloads + build manifest. Pure: no I/O,
/// no clock (times come from the snapshots' upstream fetch times), no randomness, ordinal order everywhere. Tokens of one
/// family are written in parallel into fixed slots, so the bytes never depend on scheduling. See docs/spec/compiler.md.
/// </summary>
public sealed class TokenCompiler(PolicyMatrix matrix)
{
    /// <summary>The compiler version written into every build manifest; bump when output bytes change for the same inputs.</summary>
    public const string Version = "1.0.0";

    public const string Name = "rtgf-token-compiler";

    public PolicyMatrix Matrix { get; } = matrix ?? throw new ArgumentNullException(nameof(matrix));

    /// <summary>
    /// Compiles the given snapshots (at most one per source the matrix reads, in any order) for <paramref name="issuer"/>.
    /// A family whose sources are not all given is skipped and the manifest says so. Bad input is a <see cref="CompilerInputException"/>.
    /// </summary>
    public CompileResult Compile(IReadOnlyList<Snapshot> snapshots, string issuer) => CompileWithOutcomes(snapshots, issuer).Result;

    /// <summary>As <see cref="Compile"/>, also returning what happened to each family (compiled or skipped).</summary>
    public (CompileResult Result, IReadOnlyList<FamilyOutcome> Families) CompileWithOutcomes(IReadOnlyList<Snapshot> snapshots, string issuer)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentException.ThrowIfNullOrEmpty(issuer);

        var bySource = new SortedDictionary<string, Snapshot>(StringComparer.Ordinal);
        foreach (var snapshot in snapshots)
        {
            ArgumentNullException.ThrowIfNull(snapshot);
            var source = snapshot.Manifest.Source;
            if (!Matrix.Sources.Contains(source, StringComparer.Ordinal))
            {
                throw new CompilerInputException(source, null, null, $"the policy matrix {Matrix.Version} reads no source of that name (it reads: {string.Join(", ", Matrix.Sources)}).");
            }

            if (!bySource.TryAdd(source, snapshot))
            {
                throw new CompilerInputException(source, null, null, "two snapshots were given for the same source.");
            }
        }

        // Parse every given snapshot (all are inputs, so all are checked), the sources in parallel.
        var ordered = bySource.Values.ToArray();
        var parsed = new SourceRecords[ordered.Length];
        var failures = new Exception?[ordered.Length];
        Parallel.For(0, ordered.Length, i =>
        {
            try
            {
                parsed[i] = SnapshotParser.Parse(ordered[i], Matrix.SourcePolicies.First(s => s.Name == ordered[i].Manifest.Source));
            }
            catch (Exception e)
            {
                failures[i] = e;
            }
        });

        // The first failing source by name, whatever finished first: the error is as deterministic as the output.
        if (Array.Find(failures, f => f is not null) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        var records = parsed.ToDictionary(p => p.Source, StringComparer.Ordinal);

        var tokens = new List<CompiledToken>();
        var outcomes = new List<FamilyOutcome>();
        ScopeIndex? scopeIndex = null;
        foreach (var family in Matrix.FamilyPolicies)
        {
            var missing = family.Sources.Where(s => !bySource.ContainsKey(s)).Order(StringComparer.Ordinal).ToArray();
            if (missing.Length > 0)
            {
                outcomes.Add(new FamilyOutcome(family.Name, family.Sources, missing, 0, null));
                continue;
            }

            var builder = Builder(family, records, bySource, ref scopeIndex);
            var compiled = Emit(family, builder, bySource, issuer);
            tokens.AddRange(compiled);
            outcomes.Add(new FamilyOutcome(family.Name, family.Sources, [], compiled.Length, OutputDigest(compiled)));
        }

        var inputs = bySource.Values.Select(s => new BuildInput(s.Manifest.Source, s.Manifest.Digest, s.Manifest.RecordCount)).ToArray();
        var manifest = BuildManifest.Write(Matrix, issuer, bySource.Values, outcomes, tokens.Count);
        var buildId = Sha256Digest.Of(manifest);
        return (new CompileResult(buildId, manifest, inputs, tokens), outcomes);
    }

    private FamilyBuilder Builder(FamilyPolicy family, Dictionary<string, SourceRecords> records, SortedDictionary<string, Snapshot> snapshots, ref ScopeIndex? scopeIndex)
    {
        SourceRecords With(string kind) =>
            records[family.Sources.First(s => Matrix.SourcePolicies.First(p => p.Name == s).Records.Contains(kind))];

        switch (family.Name)
        {
            case FamilyCatalog.TrainingComponent:
                return new TrainingComponentBuilder(family, With("component"));
            case FamilyCatalog.CricosCourse:
                return new CricosCourseBuilder(family, With("cricos-course"));
            case FamilyCatalog.RtoRegistration:
                scopeIndex ??= new ScopeIndex(With("scope"));
                return new RtoRegistrationBuilder(family, With("rto"), scopeIndex);
            case FamilyCatalog.RtoScope:
                scopeIndex ??= new ScopeIndex(With("scope"));
                var max = Matrix.Find(FamilyCatalog.RtoRegistration)!.MaxScopeItems!.Value;
                return new RtoScopeBuilder(family, With("rto"), scopeIndex, max);
            case FamilyCatalog.OccupationShortage:
                var shortages = With("occupation-shortage");
                return new OccupationShortageBuilder(family, shortages, snapshots[shortages.Source].Manifest);
            case FamilyCatalog.SanctionsScreen:
                var list = With("sanction");
                return new SanctionsScreenBuilder(family, With("rto"), list, snapshots[list.Source].Manifest);
            default:
                throw new InvalidOperationException($"No builder for family '{family.Name}'.");
        }
    }

    /// <summary>
    /// The family's tokens in subject order. <c>iat</c> = <c>nbf</c> = the latest snapshot fetch time among the family's
    /// sources (whole seconds), <c>exp</c> = <c>nbf</c> + validity, <c>snap</c> = the primary (first) source's digest.
    /// </summary>
    private static CompiledToken[] Emit(FamilyPolicy family, FamilyBuilder builder, SortedDictionary<string, Snapshot> snapshots, string issuer)
    {
        var issuedAt = family.Sources.Max(s => snapshots[s].Manifest.FetchedAt.ToUnixTimeSeconds());
        var expires = issuedAt + family.ValiditySeconds;
        var snap = snapshots[family.Sources[0]].Manifest.Digest;
        var output = new CompiledToken[builder.Count];
        Parallel.For(
            0,
            builder.Count,
            () => new CanonicalJsonWriter(4096),
            (i, _, writer) =>
            {
                writer.Reset();
                var subject = builder.Subject(i);
                writer.WriteStartObject();
                writer.WriteNumber("exp", expires);
                writer.WritePropertyName("facts");
                var factsStart = writer.Length;
                builder.WriteFacts(i, writer);
                var factsEnd = writer.Length;
                writer.WriteString("fam", family.Name);
                writer.WriteNumber("iat", issuedAt);
                writer.WriteString("iss", issuer);
                writer.WriteNumber("nbf", issuedAt);
                writer.WriteString("snap", snap);
                writer.WriteString("sub", subject);
                writer.WriteEndObject();

                var payload = writer.ToArray();
                var facts = payload.AsSpan(factsStart, factsEnd - factsStart);
                var factsDigest = Convert.ToHexStringLower(SHA256.HashData(facts));
                output[i] = new CompiledToken(
                    Convert.ToHexStringLower(SHA256.HashData(payload)),
                    family.Name,
                    subject,
                    DateTimeOffset.FromUnixTimeSeconds(issuedAt),
                    DateTimeOffset.FromUnixTimeSeconds(issuedAt),
                    DateTimeOffset.FromUnixTimeSeconds(expires),
                    snap,
                    Encoding.UTF8.GetString(facts),
                    factsDigest,
                    payload)
                {
                    AssertionDigest = builder.ProvenanceMember is { } member ? AssertionDigestOf(facts, member) : factsDigest,
                };
                return writer;
            },
            writer => writer.Dispose());
        return output;
    }

    /// <summary>The hex SHA-256 of the canonical facts with <paramref name="member"/> removed.</summary>
    private static string AssertionDigestOf(ReadOnlySpan<byte> facts, string member)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(facts)!.AsObject();
        node.Remove(member);
        return Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(node.ToJsonString()))));
    }

    /// <summary><c>sha256:</c> over the family's token ids in output order, each followed by <c>\n</c>.</summary>
    private static string OutputDigest(CompiledToken[] tokens)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> line = stackalloc byte[65];
        line[64] = (byte)'\n';
        foreach (var token in tokens)
        {
            Encoding.ASCII.GetBytes(token.TokenId, line);
            hash.AppendData(line);
        }

        return Sha256Digest.FromHash(hash.GetHashAndReset());
    }

    internal static string Instant(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
