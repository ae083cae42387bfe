namespace Rtgf.Azure.KeyVault;

/// <summary>A key version's identity, attributes and tags (no key material).</summary>
public sealed class KeyProperties
{
    internal KeyProperties(Uri id, Uri vaultUri, string name, string? version)
    {
        Id = id;
        VaultUri = vaultUri;
        Name = name;
        Version = version;
    }

    /// <summary>The key identifier (<c>kid</c>): <c>https://{vault}/keys/{name}/{version}</c>.</summary>
    public Uri Id { get; }

    public Uri VaultUri { get; }

    public string Name { get; }

    public string? Version { get; }

    public bool? Enabled { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    public DateTimeOffset? ExpiresOn { get; init; }

    public DateTimeOffset? CreatedOn { get; init; }

    public DateTimeOffset? UpdatedOn { get; init; }

    public string? RecoveryLevel { get; init; }

    public bool Managed { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
