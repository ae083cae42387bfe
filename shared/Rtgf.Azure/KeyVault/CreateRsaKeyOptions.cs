using Rtgf.Azure.KeyVault.Internal;

namespace Rtgf.Azure.KeyVault;

/// <summary>
/// What <see cref="KeyClient.CreateRsaKeyAsync"/> creates: an RSA key for wrapKey/unwrapKey (the archives' key-encryption
/// key), 3072 bits unless set, optionally HSM-backed.
/// </summary>
public sealed class CreateRsaKeyOptions
{
    public CreateRsaKeyOptions(string name, bool hardwareProtected = false)
    {
        KeyVaultNames.ValidateKeyName(name);
        Name = name;
        HardwareProtected = hardwareProtected;
    }

    public string Name { get; }

    /// <summary>RSA-HSM (Premium vault or Managed HSM) rather than RSA.</summary>
    public bool HardwareProtected { get; }

    public KeyType KeyType => HardwareProtected ? KeyType.RsaHsm : KeyType.Rsa;

    /// <summary>2048, 3072 or 4096 bits (Key Vault's sizes).</summary>
    public int? KeySize { get; init; } = 3072;

    public IList<KeyOperation> KeyOperations { get; } = [KeyOperation.WrapKey, KeyOperation.UnwrapKey];

    public bool? Enabled { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    public DateTimeOffset? ExpiresOn { get; init; }

    public IDictionary<string, string> Tags { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
