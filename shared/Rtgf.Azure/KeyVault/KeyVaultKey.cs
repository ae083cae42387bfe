namespace Rtgf.Azure.KeyVault;

/// <summary>A key version: its public JWK and its properties (the private part never leaves the vault).</summary>
public sealed class KeyVaultKey
{
    internal KeyVaultKey(KeyProperties properties, JsonWebKey key)
    {
        Properties = properties;
        Key = key;
    }

    public Uri Id => Properties.Id;

    public string Name => Properties.Name;

    public string? Version => Properties.Version;

    public KeyType KeyType => Key.KeyType;

    public JsonWebKey Key { get; }

    public KeyProperties Properties { get; }
}
