using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Rtgf.Azure.KeyVault;
using Rtgf.Benchmarks.Startup;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.KeyVaultStandIn;
using JsonWebKey = Rtgf.Core.Signing.JsonWebKey;

namespace Rtgf.Benchmarks.Trust;

/// <summary>
/// `sign-volume [tokens] [kv-ops-per-second]`: signs a publication's worth of reference tokens with the issuer key held
/// in Key Vault (the local stand-in, throttled like the real service), through a certified short-lived signing key
/// (docs/adr/0006-high-volume-signing.md). Beside it, in the same run, it measures the naive design (one Key Vault
/// sign per token) on a sample and extrapolates. Reports wall time, tokens/s and Key Vault calls counted by the stand-in.
/// </summary>
internal static class SigningVolumeBenchmark
{
    private const string Issuer = "https://rtgf.example";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500_000;
        var opsPerSecond = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 250;

        await using var vault = await KeyVaultStandInServer.StartAsync();
        vault.SetThrottle(opsPerSecond);
        var options = new KeyClientOptions { Transport = new HttpClientTransport(vault.CreateHttpMessageHandler()), DisableChallengeResourceVerification = true };
        var keys = new KeyClient(vault.VaultUri, new BenchCredential(), options);
        var issuerKey = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("rtgf-issuer", hardwareProtected: true))).Value;
        var issuer = await KeyVaultSigner.CreateAsync(keys, issuerKey.Name, issuerKey.Version!);

        var iat = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var claims = BuildClaims(count, iat);
        var signsBefore = vault.CallCount(KeyVaultOperation.Sign);

        var clock = BenchClock.System;
        var start = clock.GetTimestamp();
        using var signer = await CertifiedSigner.CreateAsync(issuer, Issuer, iat.AddDays(-1), iat.AddDays(30));
        var tokens = ReferenceTokenWriter.WriteMany(claims, signer);
        var certified = clock.GetElapsedTime(start);
        var certifiedCalls = vault.CallCount(KeyVaultOperation.Sign) - signsBefore;

        // Every token must verify against the published key set (issuer key as the trust anchor, signing key certified by it).
        var keySet = new JsonWebKeySet([new JsonWebKey(issuer.PublicKey), signer.ToJsonWebKey()]);
        using var verifier = new Es256TokenVerifier(keySet, new FixedClock(iat.AddHours(1)));
        var invalid = tokens.Count(t => !verifier.Verify(t).IsValid);

        // The naive design on a sample: one Key Vault sign per token, as fast as the vault allows.
        var sample = Math.Min(count, (int)Math.Max(100, opsPerSecond * 4));
        var naiveWriter = new ReferenceTokenWriter(issuer);
        var naiveStart = clock.GetTimestamp();
        await Parallel.ForEachAsync(claims.Take(sample), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, ct) => await naiveWriter.WriteAsync(c, ct));
        var naive = clock.GetElapsedTime(naiveStart);
        var naiveExtrapolated = naive.TotalSeconds * count / sample;

        var output = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"tokens signed:                {count:N0} (compact JWS {tokens.Sum(t => (long)t.Length) / count:N0} characters each on average)")
            .AppendLine(CultureInfo.InvariantCulture, $"Key Vault throttle:           {opsPerSecond:N0} operations/s (stand-in answers 429 + Retry-After above it)")
            .AppendLine(CultureInfo.InvariantCulture, $"certified signing key:        {certified.TotalSeconds:N2} s, {count / certified.TotalSeconds:N0} tokens/s, Key Vault sign calls: {certifiedCalls}")
            .AppendLine(CultureInfo.InvariantCulture, $"tokens failing verification:  {invalid}")
            .AppendLine(CultureInfo.InvariantCulture, $"one Key Vault sign per token: {sample:N0} tokens in {naive.TotalSeconds:N2} s ({sample / naive.TotalSeconds:N0} tokens/s, throttled {vault.ThrottledCount:N0} times); {count:N0} would take ≈ {naiveExtrapolated:N0} s")
            .AppendLine(CultureInfo.InvariantCulture, $"ratio (naive / certified):    {naiveExtrapolated / certified.TotalSeconds:N1}x");
        Console.Write(output);
        return invalid == 0 && certified.TotalSeconds < 60 ? 0 : 1;
    }

    private static List<ReferenceTokenClaims> BuildClaims(int count, DateTimeOffset iat)
    {
        var claims = new List<ReferenceTokenClaims>(count);
        for (var i = 0; i < count; i++)
        {
            var code = (10000 + (i % 4000)).ToString(CultureInfo.InvariantCulture);
            var component = "BSB" + (i / 4).ToString("D5", CultureInfo.InvariantCulture);
            claims.Add(new ReferenceTokenClaims
            {
                Issuer = Issuer,
                Subject = $"scope:{code}:{component}",
                Family = "rto-registration",
                IssuedAt = iat,
                NotBefore = iat,
                Expires = iat.AddDays(30),
                SnapshotDigest = "sha256:9f2c3b7e5a1d4c6b8e0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b",
                RevocationEpoch = 7,
                Status = new StatusListReference(i, "https://rtgf.example/status/rto-registration/1"),
                FactsJson = Encoding.UTF8.GetBytes($"{{\"component\":\"{component}\",\"extent\":\"deliver-and-assess\",\"rto\":\"{code}\",\"start\":\"2024-01-01\"}}"),
            });
        }

        return claims;
    }

    private sealed class BenchCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("bench-token", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
