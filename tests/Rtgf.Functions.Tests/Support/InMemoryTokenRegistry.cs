using Rtgf.Pipeline.Registry;

namespace Rtgf.Functions.Tests.Support;

/// <summary>Registered tokens in memory; the cursor is the last subject of the previous page.</summary>
public sealed class InMemoryTokenRegistry : ITokenRegistry
{
    public List<RegisteredToken> Tokens { get; } = [];

    public Publication? Latest { get; set; }

    public Task<RegisteredToken?> GetAsync(string tokenId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Tokens.FirstOrDefault(t => t.TokenId == tokenId));

    public Task<IReadOnlyList<RegisteredToken>> GetLatestAsync(string subject, string? family = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RegisteredToken>>([.. Tokens.Where(t => t.Subject == subject && (family is null || t.Family == family))
            .GroupBy(t => t.Family).Select(g => g.MaxBy(t => t.LogIndex)!).OrderBy(t => t.Family, StringComparer.Ordinal)]);

    public Task<RegistryPage<RegisteredToken>> ListAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default)
    {
        if (cursor is not null && !cursor.StartsWith("after:", StringComparison.Ordinal))
        {
            throw new FormatException($"'{cursor}' is not a registry cursor.");
        }

        var after = cursor?["after:".Length..];
        var items = Tokens.Where(t => t.Family == family && (after is null || string.CompareOrdinal(t.Subject, after) > 0))
            .OrderBy(t => t.Subject, StringComparer.Ordinal).ToList();
        var page = items.Take(pageSize).ToList();
        return Task.FromResult(new RegistryPage<RegisteredToken>(page, items.Count > pageSize ? "after:" + page[^1].Subject : null));
    }

    public Task<IReadOnlyList<FamilySummary>> GetFamiliesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<FamilySummary>>([.. Tokens.GroupBy(t => t.Family).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new FamilySummary(g.Key, g.Count(), 0, Latest?.BuildId, Latest?.PublishedAt))]);

    public Task<Publication?> GetLatestPublicationAsync(CancellationToken cancellationToken = default) => Task.FromResult(Latest);
}
