using System.Globalization;

namespace Rtgf.Pipeline.Revocation;

/// <summary>
/// A place in the revocation feed, which is ordered by epoch, then token id: after every revocation of the epochs up to
/// <see cref="Epoch"/> (<see cref="TokenId"/> null), or after the revocation of <see cref="TokenId"/> in epoch
/// <see cref="Epoch"/>, so a page may end inside an epoch and the next one resume there.
/// </summary>
public sealed record RevocationFeedPosition
{
    public RevocationFeedPosition(long epoch, string? tokenId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (tokenId is { Length: 0 })
        {
            throw new ArgumentException("A token id is not empty.", nameof(tokenId));
        }

        Epoch = epoch;
        TokenId = tokenId;
    }

    public long Epoch { get; }

    public string? TokenId { get; }

    /// <summary>The row key of the <c>epoch</c> partition to query after: '~' sorts after '|', so it skips the whole epoch.</summary>
    internal string AfterRow => Epoch.ToString("D19", CultureInfo.InvariantCulture) + (TokenId is null ? "~" : "|" + TokenId);
}
