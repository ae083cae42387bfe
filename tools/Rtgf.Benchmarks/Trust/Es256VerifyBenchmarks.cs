using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Benchmarks.Trust;

/// <summary>
/// ES256 verification of one reference token, same key: our verifier against Microsoft.IdentityModel's
/// JsonWebTokenHandler.ValidateTokenAsync (signature and lifetime; issuer/audience checks off on both sides).
/// </summary>
[MemoryDiagnoser]
public class Es256VerifyBenchmarks : IDisposable
{
    private LocalDevelopmentSigner? _signer;
    private Es256TokenVerifier? _ours;
    private JsonWebTokenHandler? _handler;
    private TokenValidationParameters? _parameters;
    private System.Security.Cryptography.ECDsa? _peerKey;
    private string _token = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _signer = LocalDevelopmentSigner.Create();
        _token = BenchTokens.SignOne(_signer);
        _ours = new Es256TokenVerifier(new Rtgf.Core.Signing.JsonWebKeySet([new Rtgf.Core.Signing.JsonWebKey(_signer.PublicKey)]), new FixedClock(BenchTokens.VerifiedAt));
        _peerKey = _signer.PublicKey.CreateEcdsa();
        _handler = new JsonWebTokenHandler();
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new ECDsaSecurityKey(_peerKey) { KeyId = _signer.PublicKey.Thumbprint },
            ValidAlgorithms = ["ES256"],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) => notBefore <= BenchTokens.VerifiedAt.UtcDateTime && BenchTokens.VerifiedAt.UtcDateTime < expires,
            ValidateIssuerSigningKey = false,
        };
        if (!_ours.Verify(_token).IsValid || !_handler.ValidateTokenAsync(_token, _parameters).GetAwaiter().GetResult().IsValid)
        {
            throw new InvalidOperationException("The benchmark token must verify on both sides.");
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
        _ours?.Dispose();
        _peerKey?.Dispose();
        _signer?.Dispose();
        (_ours, _peerKey, _signer) = (null, null, null);
    }

    [Benchmark(Baseline = true, Description = "Es256TokenVerifier.Verify")]
    public bool Ours() => _ours!.Verify(_token).IsValid;

    [Benchmark(Description = "JsonWebTokenHandler.ValidateTokenAsync")]
    public async Task<bool> IdentityModel() => (await _handler!.ValidateTokenAsync(_token, _parameters)).IsValid;
}
