using Rtgf.Azure.KeyVault.Internal;

namespace Rtgf.Azure.KeyVault;

/// <summary>What <see cref="KeyClient.CreateEcKeyAsync"/> creates: a P-256 key for sign/verify, optionally HSM-backed.</summary>
public sealed class CreateEcKeyOptions
{
    public CreateEcKeyOptions(string name, bool hardwareProtected = false)
    {
        KeyVaultNames.ValidateKeyName(name);
        Name = name;
        HardwareProtected = hardwareProtected;
    }

    public string Name { get; }

    /// <summary>EC-HSM (Premium vault or Managed HSM) rather than EC.</summary>
    public bool HardwareProtected { get; }

    public KeyType KeyType => HardwareProtected ? KeyType.EcHsm : KeyType.Ec;

    public KeyCurveName CurveName { get; init; } = KeyCurveName.P256;

    public IList<KeyOperation> KeyOperations { get; } = [KeyOperation.Sign, KeyOperation.Verify];

    public bool? Enabled { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    public DateTimeOffset? ExpiresOn { get; init; }

    public IDictionary<string, string> Tags { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
