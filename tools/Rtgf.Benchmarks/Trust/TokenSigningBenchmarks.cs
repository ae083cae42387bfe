using BenchmarkDotNet.Attributes;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Benchmarks.Trust;

/// <summary>
/// Publication signing: tokens signed by a certified signing key on every core (one issuer signature per key).
/// The bar is 500,000 tokens in under 60 s: multiply the per-token time by 500,000.
/// </summary>
[MemoryDiagnoser]
public class TokenSigningBenchmarks : IDisposable
{
    private const int Batch = 4096;
    private readonly ReferenceTokenClaims[] _claims = [.. Enumerable.Range(0, Batch).Select(BenchTokens.Claims)];
    private LocalDevelopmentSigner? _issuer;
    private CertifiedSigner? _signer;

    [GlobalSetup]
    public void Setup()
    {
        _issuer = LocalDevelopmentSigner.Create();
        _signer = CertifiedSigner.CreateAsync(_issuer, "https://registry.rtgf.example", BenchTokens.IssuedAt, BenchTokens.IssuedAt.AddDays(1))
            .GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        Cleanup();
        GC.SuppressFinalize(this);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _signer?.Dispose();
        _issuer?.Dispose();
        (_signer, _issuer) = (null, null);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "certified key, all cores: per token")]
    public string[] AllCores() => ReferenceTokenWriter.WriteMany(_claims, _signer!);

    [Benchmark(OperationsPerInvoke = Batch, Description = "certified key, one core: per token")]
    public string[] OneCore() => ReferenceTokenWriter.WriteMany(_claims, _signer!, maxDegreeOfParallelism: 1);
}
