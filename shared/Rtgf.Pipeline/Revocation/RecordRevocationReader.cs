using System.Globalization;
using System.Security.Cryptography;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Pipeline.Revocation;

/// <summary>The revocation read side over the publication tables: epoch, changes feed, status list tokens, records.</summary>
public sealed class RecordRevocationReader(IRecordStore records) : IRevocationReader
{
    public async Task<long> GetEpochAsync(CancellationToken cancellationToken = default) =>
        (await Publisher.ReadHeadAsync(records, cancellationToken).ConfigureAwait(false)).Head.Epoch;

    public async Task<IReadOnlyList<RevocationRecord>> GetChangesSinceAsync(long sinceEpoch, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sinceEpoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, 1000);

        // Rows are "<epoch:D19>|<token id>"; '~' sorts after '|', so this skips every row of epochs up to sinceEpoch.
        var after = sinceEpoch.ToString("D19", CultureInfo.InvariantCulture) + "~";
        var rows = await records.QueryAsync(RecordTables.Revocations, Publisher.EpochPartition, after, max, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => RecordStoreExtensions.Read(r, PublishingJson.Default.RevocationRecord))];
    }

    public async Task<StatusListDocument?> GetStatusListAsync(string listId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(listId);
        var slash = listId.LastIndexOf('/');
        if (slash <= 0 || !long.TryParse(listId.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var row = await records.GetAsync(RecordTables.StatusLists, listId[..slash], Publisher.ListRow(number), PublishingJson.Default.StatusListRow, cancellationToken).ConfigureAwait(false);
        return row is { Value: var list } ? ToDocument(list) : null;
    }

    public async Task<IReadOnlyList<StatusListDocument>> ListStatusListsAsync(CancellationToken cancellationToken = default)
    {
        var (head, _) = await Publisher.ReadHeadAsync(records, cancellationToken).ConfigureAwait(false);
        var result = new List<StatusListDocument>();
        foreach (var family in head.NextIndex.Keys.Order(StringComparer.Ordinal))
        {
            var rows = await records.QueryAllAsync(RecordTables.StatusLists, family, cancellationToken).ConfigureAwait(false);
            result.AddRange(rows.Select(r => ToDocument(RecordStoreExtensions.Read(r, PublishingJson.Default.StatusListRow))));
        }

        return [.. result.OrderBy(d => d.ListId, StringComparer.Ordinal)];
    }

    public async Task<RevocationRecord?> GetRevocationAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        return (await records.GetAsync(RecordTables.Revocations, Publisher.TokenPartition, tokenId, PublishingJson.Default.RevocationRecord, cancellationToken).ConfigureAwait(false))?.Value;
    }

    private static StatusListDocument ToDocument(StatusListRow row) => new(
        string.Create(CultureInfo.InvariantCulture, $"{row.Family}/{row.Number}"),
        row.Uri,
        row.Jwt,
        row.Epoch,
        row.IssuedAt,
        "\"" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(row.Jwt))) + "\"");
}
