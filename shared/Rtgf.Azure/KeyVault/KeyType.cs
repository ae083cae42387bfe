namespace Rtgf.Azure.KeyVault;

/// <summary>A JSON Web Key type (<c>kty</c>); Key Vault signs with EC (software) or EC-HSM (HSM-backed) keys and wraps data keys with RSA or RSA-HSM keys.</summary>
public readonly record struct KeyType(string Value)
{
    public static KeyType Ec { get; } = new("EC");

    public static KeyType EcHsm { get; } = new("EC-HSM");

    public static KeyType Rsa { get; } = new("RSA");

    public static KeyType RsaHsm { get; } = new("RSA-HSM");

    public override string ToString() => Value ?? string.Empty;
}
