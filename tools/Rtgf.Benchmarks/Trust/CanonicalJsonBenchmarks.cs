using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Rtgf.Core.Encoding;
using Rtgf.Core.Tokens;

namespace Rtgf.Benchmarks.Trust;

/// <summary>
/// Canonicalise + SHA-256 of typical token payloads (bar: at least 50 MB/s). "pretty, unsorted" is what arrives from
/// outside; "canonical" is the compiler's own output re-checked; "writer" builds the payload from code with no parse.
/// The MB/s column counts input bytes.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class CanonicalJsonBenchmarks
{
    private const int Batch = 256;
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly byte[][] Pretty = [.. Enumerable.Range(0, Batch).Select(PrettyPayload)];
    private static readonly byte[][] Canonical = [.. Pretty.Select(p => CanonicalJson.Canonicalize(p))];
    private static readonly ReferenceTokenClaims[] Claims = [.. Enumerable.Range(0, Batch).Select(BenchTokens.Claims)];

    [Benchmark(OperationsPerInvoke = Batch, Description = "canonicalize+sha256: pretty, unsorted")]
    public byte[] PrettyUnsorted() => HashAll(Pretty);

    [Benchmark(OperationsPerInvoke = Batch, Description = "canonicalize+sha256: already canonical")]
    public byte[] AlreadyCanonical() => HashAll(Canonical);

    [Benchmark(OperationsPerInvoke = Batch, Description = "writer (no parse)+sha256")]
    public byte[] WriterPayload()
    {
        var digest = new byte[32];
        foreach (var claims in Claims)
        {
            SHA256.HashData(ReferenceTokenWriter.BuildPayload(claims), digest);
        }

        return digest;
    }

    private static byte[] HashAll(byte[][] inputs)
    {
        var digest = new byte[32];
        foreach (var input in inputs)
        {
            SHA256.HashData(CanonicalJson.Canonicalize(input), digest);
        }

        return digest;
    }

    private static byte[] PrettyPayload(int i)
    {
        var canonical = ReferenceTokenWriter.BuildPayload(BenchTokens.Claims(i));
        using var document = System.Text.Json.JsonDocument.Parse(canonical);
        var pretty = System.Text.Json.JsonSerializer.Serialize(document.RootElement, Indented);
        return Encoding.UTF8.GetBytes(pretty.Replace("\"exp\"", "\"zz\":1,\"exp\"", StringComparison.Ordinal));
    }

    private static long AverageBytes(byte[][] inputs) => (long)inputs.Average(p => p.Length);

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn(c => c.Descriptor.WorkloadMethod.Name switch
        {
            nameof(PrettyUnsorted) => AverageBytes(Pretty),
            _ => AverageBytes(Canonical),
        }));
    }
}
