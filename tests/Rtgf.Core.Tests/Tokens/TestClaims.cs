using Rtgf.Core.Tokens;

namespace Rtgf.Core.Tests.Tokens;

/// <summary>Reference-token claims for tests: a snapshot fetched at <see cref="FetchedAt"/>, valid for 30 days.</summary>
internal static class TestClaims
{
    public static readonly DateTimeOffset FetchedAt = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static ReferenceTokenClaims For(string subject, DateTimeOffset? issuedAt = null, DateTimeOffset? expires = null)
    {
        var iat = issuedAt ?? FetchedAt;
        return new ReferenceTokenClaims
        {
            Issuer = "https://registry.rtgf.example",
            Subject = subject,
            Family = "rto-registration",
            IssuedAt = iat,
            NotBefore = iat,
            Expires = expires ?? iat.AddDays(30),
            SnapshotDigest = "sha256:" + new string('a', 64),
            RevocationEpoch = 3,
            Status = new StatusListReference(42, "https://registry.rtgf.example/status/rto-registration/1"),
            FactsJson = """{"status":"current","legal_name":"Acme Training Pty Ltd","code":"12345","scope":[{"code":"BSB50120"}]}"""u8.ToArray(),
        };
    }
}
