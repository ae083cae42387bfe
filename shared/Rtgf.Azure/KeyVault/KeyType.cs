namespace Rtgf.Azure.KeyVault;

/// <summary>A JSON Web Key type (<c>kty</c>); Key Vault signs with EC (software) or EC-HSM (HSM-backed) keys.</summary>
public readonly record struct KeyType(string Value)
{
    public static KeyType Ec { get; } = new("EC");

    public static KeyType EcHsm { get; } = new("EC-HSM");

    public override string ToString() => Value ?? string.Empty;
}
