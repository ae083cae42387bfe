using System.Globalization;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Tests.Support;

/// <summary>
/// A national-scale revocation feed over Azurite, written by the real publisher: one manual revocation (epoch 1), a build
/// that withdraws <see cref="EpochSize"/> tokens at once (epoch 2; one DFAT list update revokes about 4,000), and one more
/// manual revocation (epoch 3).
/// </summary>
public sealed class RevocationFeedFixture() : StoredAppFixture(IssuedAt.AddDays(1))
{
    public const int EpochSize = 5_000;
    public const string Family = "rto-registration";
    public static readonly DateTimeOffset IssuedAt = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Every revocation in feed order (epoch, then token id), as the reader records them.</summary>
    public IReadOnlyList<RevocationRecord> Expected { get; private set; } = [];

    protected override async Task SeedAsync()
    {
        var tokens = Enumerable.Range(0, EpochSize + 3)
            .Select(i => TestBuilds.Token(BaseUrl, Family, "rto:" + (100_000 + i).ToString(CultureInfo.InvariantCulture), $"{{\"n\":{i}}}", IssuedAt, IssuedAt.AddDays(365)))
            .ToList();
        await PublishAsync(TestBuilds.Build(tokens));
        var first = await Publisher.RevokeAsync(tokens[EpochSize].TokenId, "court order", "operator@example.gov.au");
        await PublishAsync(TestBuilds.Build([tokens[EpochSize + 1], tokens[EpochSize + 2]], "withdrawn"));
        var last = await Publisher.RevokeAsync(tokens[EpochSize + 1].TokenId, "court order", "operator@example.gov.au");

        var withdrawn = new List<RevocationRecord>(EpochSize);
        foreach (var token in tokens.Take(EpochSize).OrderBy(t => t.TokenId, StringComparer.Ordinal))
        {
            withdrawn.Add(await RevocationReader.GetRevocationAsync(token.TokenId) ?? throw new InvalidOperationException($"{token.Subject} was not revoked."));
        }

        Expected = [first, .. withdrawn, last];
    }
}
