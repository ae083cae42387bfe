namespace Rtgf.Azure.KeyVault;

/// <summary>Options for <see cref="CryptographyClient"/>.</summary>
public sealed class CryptographyClientOptions(KeyVaultServiceVersion version = KeyVaultServiceVersion.V7_5) : KeyVaultClientOptions(version)
{
}
