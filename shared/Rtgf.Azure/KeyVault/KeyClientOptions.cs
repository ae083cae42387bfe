namespace Rtgf.Azure.KeyVault;

/// <summary>Options for <see cref="KeyClient"/>.</summary>
public sealed class KeyClientOptions(KeyVaultServiceVersion version = KeyVaultServiceVersion.V7_5) : KeyVaultClientOptions(version)
{
}
