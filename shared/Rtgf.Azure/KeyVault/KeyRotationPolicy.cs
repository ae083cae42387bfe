namespace Rtgf.Azure.KeyVault;

/// <summary>A key's rotation policy: lifetime actions and the expiry each new version gets.</summary>
public sealed class KeyRotationPolicy
{
    public string? Id { get; init; }

    /// <summary>Expiry of new versions as an ISO 8601 duration (at least 28 days), for example <c>P2Y</c>.</summary>
    public string? ExpiresIn { get; init; }

    public IList<KeyRotationLifetimeAction> LifetimeActions { get; init; } = [];

    public DateTimeOffset? CreatedOn { get; init; }

    public DateTimeOffset? UpdatedOn { get; init; }
}
