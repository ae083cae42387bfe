using System.Globalization;
using System.Security.Cryptography;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Pipeline.Revocation;

/// <summary>The revocation read side over the publication tables: epoch, changes feed, status list tokens, records.</summary>
public sealed class RecordRevocationReader(IRecordStore records) : IRevocationReader
{
    public async Task<long> GetEpochAsync(CancellationToken cancellationToken = default) =>
        (await Publisher.ReadHeadAsync(records, cancellationToken).ConfigureAwait(false)).Head.Epoch;

    public async Task<long> GetCompleteEpochAsync(CancellationToken cancellationToken = default) =>
        (await Publisher.ReadHeadAsync(records, cancellationToken).ConfigureAwait(false)).Head.LastCompleteEpoch();

    /// <summary>The most rows one store query is asked for: the reader pages through the store, so callers may ask for more.</summary>
    public const int StorePage = 1000;

    public async Task<RevocationChanges> GetChangesAfterAsync(RevocationFeedPosition after, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);

        // A publication stores its epoch's records in batches after the head already names that epoch: serve whole epochs
        // only, so a client that reached the end of the feed may resume after the last epoch it saw. The cut is the last
        // complete epoch as of this one head read: rows above it belong to a publication still storing them (or to one
        // that adopted the head after this read), and a publication that revokes nothing leaves the cut where it was.
        var (head, _) = await Publisher.ReadHeadAsync(records, cancellationToken).ConfigureAwait(false);
        var complete = head.LastCompleteEpoch();

        // Rows are "<epoch:D19>|<token id>", so the row key order is the feed order and a position is a row key to resume
        // after; each query asks for at most one store page and the next resumes after its last row.
        var afterRow = after.AfterRow;
        var result = new List<RevocationRecord>(Math.Min(max, StorePage));
        while (result.Count < max)
        {
            var want = Math.Min(max - result.Count, StorePage);
            var rows = await records.QueryAsync(RecordTables.Revocations, Publisher.EpochPartition, afterRow, want, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                var record = RecordStoreExtensions.Read(row, PublishingJson.Default.RevocationRecord);
                if (record.Epoch > complete)
                {
                    return new RevocationChanges(complete, result);
                }

                result.Add(record);
            }

            if (rows.Count < want)
            {
                break;
            }

            afterRow = rows[^1].Row;
        }

        return new RevocationChanges(complete, result);
    }

    public async Task<StatusListDocument?> GetStatusListAsync(string listId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listId);

        // An id from a token's status claim is untrusted: one that cannot name a list (empty too) names none.
        if (!StatusListId.TryParse(listId, out var id))
        {
            return null;
        }

        var row = await records.GetAsync(RecordTables.StatusLists, id.Family, Publisher.ListRow(id.Number), PublishingJson.Default.StatusListRow, cancellationToken).ConfigureAwait(false);
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
