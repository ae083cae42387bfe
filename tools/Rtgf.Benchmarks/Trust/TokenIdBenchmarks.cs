using BenchmarkDotNet.Attributes;
using Rtgf.Core.Encoding;
using Rtgf.Core.Tokens;

namespace Rtgf.Benchmarks.Trust;

/// <summary>
/// The token id of a signed payload (done on every <c>/verify</c>): the shipped single pass (canonicalise, then drop the
/// publication members' byte runs while hashing) against the route it replaced (canonicalise, JsonNode, remove,
/// serialise, canonicalise again), side by side in one run.
/// </summary>
[MemoryDiagnoser]
public class TokenIdBenchmarks
{
    private const int Batch = 256;
    private static readonly byte[][] Payloads = [.. Enumerable.Range(0, Batch).Select(i => ReferenceTokenWriter.BuildPayload(BenchTokens.Claims(i)))];

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "JsonNode route (before)")]
    public string JsonNodeRoute()
    {
        var id = string.Empty;
        foreach (var payload in Payloads)
        {
            var claims = System.Text.Json.Nodes.JsonNode.Parse(CanonicalJson.Canonicalize(payload))!.AsObject();
            claims.Remove("rev_epoch");
            claims.Remove("status");
            id = ReferenceTokenId.FromCompiledPayload(CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes(claims.ToJsonString())));
        }

        return id;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "ReferenceTokenId.FromSignedPayload (single pass)")]
    public string SinglePass()
    {
        var id = string.Empty;
        foreach (var payload in Payloads)
        {
            id = ReferenceTokenId.FromSignedPayload(payload);
        }

        return id;
    }
}
