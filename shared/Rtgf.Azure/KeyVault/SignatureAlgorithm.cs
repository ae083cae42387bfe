namespace Rtgf.Azure.KeyVault;

/// <summary>A JWS signature algorithm (<c>alg</c>); ES256 is ECDSA P-256 over a SHA-256 digest.</summary>
public readonly record struct SignatureAlgorithm(string Value)
{
    public static SignatureAlgorithm ES256 { get; } = new("ES256");

    public override string ToString() => Value ?? string.Empty;
}
