namespace Rtgf.Pipeline.Access;

/// <summary>The scopes a key can carry.</summary>
public static class ApiScopes
{
    /// <summary>The public catalogue API under <c>/v1</c>.</summary>
    public const string CatalogueRead = "catalogue:read";

    /// <summary>The MCP tools API under <c>/mcp</c>.</summary>
    public const string Mcp = "mcp";

    public static IReadOnlyList<string> All { get; } = [CatalogueRead, Mcp];
}

/// <summary>
/// An API key's record: everything but its secret (never stored) and hash (<see cref="StoredApiKey"/>). It is the whole
/// stored row, so a change written from it keeps every column (PlanChangedBy/At are billing's, written by ChangePlanAsync).
/// </summary>
public sealed record ApiKeyRecord(
    string Id,
    string Name,
    string Owner,
    IReadOnlyList<string> Scopes,
    string Plan,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? RotatedAt = null,
    string? RotatedBy = null,
    DateTimeOffset? RevokedAt = null,
    string? RevokedBy = null,
    string? RevokedReason = null,
    DateTimeOffset? LastUsedAt = null,
    string? PlanChangedBy = null,
    DateTimeOffset? PlanChangedAt = null)
{
    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && now >= expires;

    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);
}

/// <summary>A key's record with its hash, as stored.</summary>
public sealed record StoredApiKey(ApiKeyRecord Record, byte[] Hash);

/// <summary>One page of keys, ordered by id, and the token for the next page (null at the end).</summary>
public sealed record ApiKeyPage(IReadOnlyList<ApiKeyRecord> Keys, string? Next);

/// <summary>The API keys (table <c>apikeys</c>): created once, changed by compare-and-swap.</summary>
public interface IApiKeyStore
{
    /// <summary>Adds a new key; false when the id is taken.</summary>
    Task<bool> CreateAsync(StoredApiKey key, CancellationToken cancellationToken);

    Task<StoredApiKey?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>A page of keys; <paramref name="continuation"/> is a previous page's <see cref="ApiKeyPage.Next"/>.</summary>
    Task<ApiKeyPage> ListAsync(int pageSize, string? continuation, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored key by compare-and-swap (again on a lost race); null when there is no
    /// such key. A change that returns the key it was given writes nothing.
    /// </summary>
    Task<StoredApiKey?> UpdateAsync(string id, Func<StoredApiKey, StoredApiKey> change, CancellationToken cancellationToken);

    /// <summary>Records a (sampled) use; it only ever moves the time forward and never touches the hash or scopes.</summary>
    Task TouchAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the key's plan by compare-and-swap (billing: a subscription started, lapsed or ended), recording who changed it
    /// and when (columns PlanChangedBy, PlanChangedAt). Null when there is no such key; a revoked key is returned unchanged
    /// (billing never revives one), and so is a key already on <paramref name="plan"/>.
    /// </summary>
    Task<StoredApiKey?> ChangePlanAsync(string id, string plan, string actor, DateTimeOffset changedAt, CancellationToken cancellationToken);
}
