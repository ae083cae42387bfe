namespace Rtgf.Azure.KeyVault;

/// <summary>A key-wrapping algorithm (<c>alg</c> of <c>wrapkey</c>/<c>unwrapkey</c>); archives use RSA-OAEP with SHA-256.</summary>
public readonly record struct KeyWrapAlgorithm(string Value)
{
    public static KeyWrapAlgorithm RsaOaep256 { get; } = new("RSA-OAEP-256");

    public override string ToString() => Value ?? string.Empty;
}
