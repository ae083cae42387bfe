using System.Buffers.Text;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Pipeline.Registry;

/// <summary>The registry read side over the publication tables. Tokens not yet logged (a publication in flight) are not shown.</summary>
public sealed class RecordTokenRegistry(IRecordStore records) : ITokenRegistry
{
    public async Task<RegisteredToken?> GetAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        var row = await records.GetAsync(RecordTables.Tokens, RegistryKeys.TokenPartition(tokenId), tokenId, PublishingJson.Default.TokenRow, cancellationToken).ConfigureAwait(false);
        return row is { Value.Token: { LogIndex: >= 0 } token } ? token : null;
    }

    public async Task<IReadOnlyList<RegisteredToken>> GetLatestAsync(string subject, string? family = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var rows = family is null
            ? await LatestRowsAsync(subject, cancellationToken).ConfigureAwait(false)
            : await records.GetAsync(RecordTables.TokenLatest, RegistryKeys.LatestPartition(subject), RegistryKeys.LatestRow(subject, family), cancellationToken).ConfigureAwait(false) is { } one ? [one] : [];
        var result = new List<RegisteredToken>();
        foreach (var row in rows)
        {
            if (await GetAsync(RecordStoreExtensions.Read(row, PublishingJson.Default.CatalogRow).TokenId, cancellationToken).ConfigureAwait(false) is { } token)
            {
                result.Add(token);
            }
        }

        return result;
    }

    public async Task<RegistryPage<RegisteredToken>> ListAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 999);
        var after = cursor is null ? null : DecodeCursor(cursor);
        var rows = await records.QueryAsync(RecordTables.Catalog, family, after, pageSize + 1, cancellationToken).ConfigureAwait(false);
        var items = new List<RegisteredToken>();
        foreach (var row in rows.Take(pageSize))
        {
            if (await GetAsync(RecordStoreExtensions.Read(row, PublishingJson.Default.CatalogRow).TokenId, cancellationToken).ConfigureAwait(false) is { } token)
            {
                items.Add(token);
            }
        }

        var next = rows.Count > pageSize ? Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(rows[pageSize - 1].Row)) : null;
        return new RegistryPage<RegisteredToken>(items, next);
    }

    public async Task<RegistryPage<CatalogEntry>> ListCatalogAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 999);
        var after = cursor is null ? null : DecodeCursor(cursor);
        var rows = await records.QueryAsync(RecordTables.Catalog, family, after, pageSize + 1, cancellationToken).ConfigureAwait(false);
        var items = new List<CatalogEntry>();
        foreach (var row in rows.Take(pageSize))
        {
            var catalog = RecordStoreExtensions.Read(row, PublishingJson.Default.CatalogRow);
            if (catalog.LogIndex is { } index)
            {
                items.Add(new CatalogEntry(row.Row, catalog.TokenId, index, catalog.FactsDigest));
            }
            else if (await GetAsync(catalog.TokenId, cancellationToken).ConfigureAwait(false) is { } token)
            {
                // A row written before the catalog kept the log index: the token row has it.
                items.Add(new CatalogEntry(row.Row, token.TokenId, token.LogIndex, token.FactsDigest));
            }
        }

        var next = rows.Count > pageSize ? Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(rows[pageSize - 1].Row)) : null;
        return new RegistryPage<CatalogEntry>(items, next);
    }

    public async Task<IReadOnlyList<FamilySummary>> GetFamiliesAsync(CancellationToken cancellationToken = default)
    {
        var rows = await records.QueryAllAsync(RecordTables.Families, Publisher.FamilyPartition, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => RecordStoreExtensions.Read(r, PublishingJson.Default.FamilyRow).Summary)];
    }

    public async Task<Publication?> GetLatestPublicationAsync(CancellationToken cancellationToken = default)
    {
        var (head, _) = await Publisher.ReadHeadAsync(records, cancellationToken).ConfigureAwait(false);
        return head.LatestPublication is { } key
            ? (await records.GetAsync(RecordTables.Publications, Publisher.PublicationPartition, key, PublishingJson.Default.Publication, cancellationToken).ConfigureAwait(false))?.Value
            : null;
    }

    /// <summary>The <c>subject|family</c> rows of <paramref name="subject"/>: contiguous in its bucket, right after <c>subject|</c>.</summary>
    private async Task<List<StoredRecord>> LatestRowsAsync(string subject, CancellationToken cancellationToken)
    {
        const int Page = 100;
        var partition = RegistryKeys.LatestPartition(subject);
        var prefix = subject + RegistryKeys.LatestSeparator;
        var result = new List<StoredRecord>();
        var after = prefix;
        while (true)
        {
            var page = await records.QueryAsync(RecordTables.TokenLatest, partition, after, Page, cancellationToken).ConfigureAwait(false);
            foreach (var row in page)
            {
                if (!row.Row.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return result;
                }

                // A longer subject with this prefix ("a|b" after "a") sorts here too; its rows have a second separator.
                if (!row.Row.AsSpan(prefix.Length).Contains(RegistryKeys.LatestSeparator))
                {
                    result.Add(row);
                }
            }

            if (page.Count < Page)
            {
                return result;
            }

            after = page[^1].Row;
        }
    }

    private static string DecodeCursor(string cursor)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"The cursor '{cursor}' is not one this registry issued.", nameof(cursor), e);
        }
    }
}
