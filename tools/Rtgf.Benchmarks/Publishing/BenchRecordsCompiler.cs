using System.Security.Cryptography;
using System.Text.Json;
using Rtgf.Compiler;
using Rtgf.Core.Encoding;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Benchmarks.Publishing;

/// <summary>
/// A stand-in compiler until the policy-matrix compiler lands: one token per snapshot record (subject = key, facts = the
/// record), canonical payloads and a manifest listing every token id, so its cost per token is of the same kind.
/// </summary>
internal sealed class BenchRecordsCompiler : IBuildCompiler
{
    public const string Source = "bench";
    public const string Family = "rto-registration";

    public IReadOnlyList<string> Sources => [Source];

    public IReadOnlyList<string> RequiredSources => [Source];

    public CompileResult Compile(IReadOnlyList<Snapshot> snapshots, string issuer)
    {
        var snapshot = snapshots.Single();
        var iat = snapshot.Manifest.FetchedAt;
        var exp = iat.AddDays(365);
        var tokens = new List<CompiledToken>();
        using var writer = new CanonicalJsonWriter(512);
        foreach (var line in System.Text.Encoding.UTF8.GetString(snapshot.Records.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var subject = document.RootElement.GetProperty("key").GetString()!;
            var facts = System.Text.Encoding.UTF8.GetBytes(document.RootElement.GetProperty("facts").GetRawText());
            writer.Reset();
            writer.WriteStartObject();
            writer.WriteNumber("exp", exp.ToUnixTimeSeconds());
            writer.WritePropertyName("facts");
            writer.WriteCanonicalized(facts);
            writer.WriteString("fam", Family);
            writer.WriteNumber("iat", iat.ToUnixTimeSeconds());
            writer.WriteString("iss", issuer);
            writer.WriteNumber("nbf", iat.ToUnixTimeSeconds());
            writer.WriteString("snap", snapshot.Manifest.Digest);
            writer.WriteString("sub", subject);
            writer.WriteEndObject();
            var payload = writer.ToArray();
            var canonicalFacts = CanonicalJson.Canonicalize(facts);
            tokens.Add(new CompiledToken(
                Hex(payload), Family, subject, iat, iat, exp, snapshot.Manifest.Digest, System.Text.Encoding.UTF8.GetString(canonicalFacts), Hex(canonicalFacts), payload));
        }

        writer.Reset();
        writer.WriteStartObject();
        writer.WriteString("input", Source + "@" + snapshot.Manifest.Digest);
        writer.WritePropertyName("tokens");
        writer.WriteStartArray();
        foreach (var token in tokens)
        {
            writer.WriteString(token.TokenId);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        var manifest = writer.ToArray();
        return new CompileResult("sha256:" + Hex(manifest), manifest, [new BuildInput(Source, snapshot.Manifest.Digest, snapshot.Manifest.RecordCount)], tokens);
    }

    private static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
