using System.Text;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Benchmarks.Trust;

/// <summary>Typical reference-token inputs for the trust benchmarks: an rto-registration token with a dozen scope rows.</summary>
internal static class BenchTokens
{
    /// <summary>Every benchmark token's iat; they are valid for the maximum lifetime after it.</summary>
    public static readonly DateTimeOffset IssuedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The instant benchmarks verify at (ours through a fixed clock, the peer library through its lifetime validator).</summary>
    public static readonly DateTimeOffset VerifiedAt = IssuedAt.AddDays(1);

    public static ReferenceTokenClaims Claims(int i) => new()
    {
        Issuer = "https://registry.rtgf.example",
        Subject = "rto:" + (10000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Family = "rto-registration",
        IssuedAt = IssuedAt,
        NotBefore = IssuedAt,
        Expires = IssuedAt + ReferenceTokenWriter.MaxLifetime,
        SnapshotDigest = "sha256:" + new string('c', 64),
        RevocationEpoch = 12,
        Status = new StatusListReference(i, "https://registry.rtgf.example/status/rto-registration/3"),
        FactsJson = Encoding.UTF8.GetBytes(Facts(i)),
    };

    /// <summary>Facts as the compiler might receive them: pretty-printed and unsorted, so canonicalisation has work to do.</summary>
    public static string Facts(int i)
    {
        var scope = new StringBuilder();
        for (var s = 0; s < 12; s++)
        {
            scope.Append(s == 0 ? "\n    " : ",\n    ")
                .Append(System.Globalization.CultureInfo.InvariantCulture, $"{{ \"status\": \"current\", \"type\": \"qualification\", \"code\": \"BSB{50120 + s}\", \"extent\": \"deliver-and-assess\", \"from\": \"2019-07-01\" }}");
        }

        return $$"""
            {
              "rto_code": "{{10000 + i}}",
              "legal_name": "Example Training Institute Pty Ltd № {{i}}",
              "status": "current",
              "registration": { "manager": "ASQA", "start": "2019-07-01", "end": "2026-06-30" },
              "abn": "51824753556",
              "trading_names": ["Example Training", "ETI Online"],
              "scope": [{{scope}}
              ],
              "delivery_states": ["NSW", "VIC", "QLD"],
              "score": 0.875
            }
            """;
    }

    public static string SignOne(ISigner signer) =>
        new ReferenceTokenWriter(signer).WriteAsync(Claims(1)).AsTask().GetAwaiter().GetResult();
}
