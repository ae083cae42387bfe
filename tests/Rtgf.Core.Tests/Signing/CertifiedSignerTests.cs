using System.Security.Cryptography;
using Rtgf.Core.Signing;
using Rtgf.Core.Tests.Tokens;
using Rtgf.Core.Tokens;
using Rtgf.Testing;

namespace Rtgf.Core.Tests.Signing;

public sealed class CertifiedSignerTests
{
    [Fact]
    public async Task CreateAsync_ThenManyTokens_CostsExactlyOneIssuerSignature()
    {
        using var vault = LocalDevelopmentSigner.Create();
        var issuer = new CountingSigner(vault);
        using var signer = await CertifiedSigner.CreateAsync(issuer, "https://registry.rtgf.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        var claims = Enumerable.Range(0, 2_000).Select(i => TestClaims.For($"rto:{i}")).ToList();

        var tokens = ReferenceTokenWriter.WriteMany(claims, signer);

        Assert.Equal(1, issuer.Calls);
        Assert.Equal(2_000, tokens.Length);
        Assert.Equal(2_000, tokens.Distinct(StringComparer.Ordinal).Count());
        using var verifier = new Es256TokenVerifier(
            new JsonWebKeySet([new JsonWebKey(vault.PublicKey), signer.ToJsonWebKey()]), new ManualTimeProvider(TestClaims.FetchedAt.AddDays(1)));
        Assert.All(tokens, token => Assert.True(verifier.Verify(token).IsValid));
        Assert.Equal(vault.PublicKey.Thumbprint, verifier.Verify(tokens[0]).IssuerKeyId);
        Assert.Equal(signer.PublicKey.Thumbprint, verifier.Verify(tokens[0]).KeyId);
    }

    [Fact]
    public async Task CreateAsync_TwoSigners_CostTwoIssuerSignatures()
    {
        using var vault = LocalDevelopmentSigner.Create();
        var issuer = new CountingSigner(vault);

        using var a = await CertifiedSigner.CreateAsync(issuer, "https://i.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        using var b = await CertifiedSigner.CreateAsync(issuer, "https://i.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        _ = ReferenceTokenWriter.WriteMany([TestClaims.For("rto:1")], a);
        _ = ReferenceTokenWriter.WriteMany([TestClaims.For("rto:2")], b);

        Assert.Equal(2, issuer.Calls);
        Assert.NotEqual(a.PublicKey, b.PublicKey);
    }

    [Fact]
    public async Task SignDigest_ConcurrentThreads_EverySignatureVerifies()
    {
        using var vault = LocalDevelopmentSigner.Create();
        using var signer = await CertifiedSigner.CreateAsync(vault, "https://i.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));
        using var ecdsa = signer.PublicKey.CreateEcdsa();
        var results = new bool[200];

        Parallel.For(0, results.Length, i =>
        {
            var digest = SHA256.HashData(BitConverter.GetBytes(i));
            var signature = new byte[64];
            signer.SignDigest(digest, signature);
            lock (results)
            {
                results[i] = ecdsa.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }
        });

        Assert.All(results, Assert.True);
    }

    [Fact]
    public async Task Dispose_ThenSign_Throws()
    {
        using var vault = LocalDevelopmentSigner.Create();
        var signer = await CertifiedSigner.CreateAsync(vault, "https://i.example", TestClaims.FetchedAt, TestClaims.FetchedAt.AddHours(1));

        signer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => signer.SignDigest(new byte[32], new byte[64]));
        Assert.DoesNotContain("D=", signer.ToString(), StringComparison.Ordinal);
    }
}
