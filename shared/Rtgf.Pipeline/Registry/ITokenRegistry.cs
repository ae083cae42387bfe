namespace Rtgf.Pipeline.Registry;

/// <summary>What the registry API reads: tokens by id, the latest per subject and family, and the catalog.</summary>
public interface ITokenRegistry
{
    Task<RegisteredToken?> GetAsync(string tokenId, CancellationToken cancellationToken = default);

    /// <summary>The latest token of each family for <paramref name="subject"/> (one family if given), ordered by family.</summary>
    Task<IReadOnlyList<RegisteredToken>> GetLatestAsync(string subject, string? family = null, CancellationToken cancellationToken = default);

    /// <summary>Current tokens of a family ordered by subject, <paramref name="pageSize"/> at a time from <paramref name="cursor"/>.</summary>
    Task<RegistryPage<RegisteredToken>> ListAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>
    /// The catalog of a family ordered by subject, <paramref name="pageSize"/> at a time from <paramref name="cursor"/>: what
    /// <see cref="ListAsync"/> lists, without the tokens themselves (a store that keeps the log index in the catalog reads no token).
    /// </summary>
    async Task<RegistryPage<CatalogEntry>> ListCatalogAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default)
    {
        var page = await ListAsync(family, cursor, pageSize, cancellationToken).ConfigureAwait(false);
        return new RegistryPage<CatalogEntry>([.. page.Items.Select(t => new CatalogEntry(t.Subject, t.TokenId, t.LogIndex, t.FactsDigest))], page.NextCursor);
    }

    /// <summary>Every family that has tokens, ordered by name.</summary>
    Task<IReadOnlyList<FamilySummary>> GetFamiliesAsync(CancellationToken cancellationToken = default);

    Task<Publication?> GetLatestPublicationAsync(CancellationToken cancellationToken = default);
}
