using BenchmarkDotNet.Attributes;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Benchmarks.Trust;

/// <summary>
/// The signature part of a 100-token <c>POST /verify/batch</c> with <c>at</c> (what the verifier spends per token before any
/// status read), against the key set after 1 publication and after 1,000: one certified key per publication, never pruned
/// (ADR 0006), tokens signed by the newest. <c>held</c> is the verifier the API keeps per key set; <c>first after a
/// publication</c> builds it from the new set first (what the first batch after a key-set change pays). The cost must not
/// grow with the publications.
/// </summary>
[MemoryDiagnoser]
public class VerifyBatchKeySetBenchmarks : IDisposable
{
    private const int Batch = 100;
    private static readonly DateTimeOffset At = BenchTokens.VerifiedAt;

    private readonly FixedClock _clock = new(BenchTokens.VerifiedAt);
    private LocalDevelopmentSigner? _issuer;
    private JsonWebKeySet? _keys;
    private Es256TokenVerifier? _held;
    private string[] _tokens = [];

    [Params(1, 1000)]
    public int Publications { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _issuer = LocalDevelopmentSigner.Create();
        var keys = new List<JsonWebKey> { new(_issuer.PublicKey, status: "current") };
        for (var i = 0; i < Publications; i++)
        {
            using var signer = CertifiedSigner.CreateAsync(_issuer, "https://registry.rtgf.example", BenchTokens.IssuedAt.AddDays(-1), BenchTokens.IssuedAt.AddDays(1))
                .GetAwaiter().GetResult();
            keys.Add(signer.ToJsonWebKey());
            if (i == Publications - 1)
            {
                _tokens = ReferenceTokenWriter.WriteMany([.. Enumerable.Range(0, Batch).Select(BenchTokens.Claims)], signer);
            }
        }

        _keys = new JsonWebKeySet(keys);
        _held = new Es256TokenVerifier(_keys, _clock);
        if (VerifyAll(_held) != Batch)
        {
            throw new InvalidOperationException("Every benchmark token must verify.");
        }
    }

    public void Dispose()
    {
        Cleanup();
        GC.SuppressFinalize(this);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _held?.Dispose();
        _issuer?.Dispose();
        (_held, _issuer) = (null, null);
    }

    [Benchmark(Baseline = true, Description = "100 tokens with at, held verifier")]
    public int Held() => VerifyAll(_held!);

    [Benchmark(Description = "100 tokens with at, first after a publication")]
    public int FirstAfterPublication()
    {
        using var verifier = new Es256TokenVerifier(_keys!, _clock);
        return VerifyAll(verifier);
    }

    private int VerifyAll(Es256TokenVerifier verifier)
    {
        var valid = 0;
        foreach (var token in _tokens)
        {
            valid += verifier.Verify(token, At).IsValid ? 1 : 0;
        }

        return valid;
    }
}
