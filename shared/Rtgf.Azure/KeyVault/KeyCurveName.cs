namespace Rtgf.Azure.KeyVault;

/// <summary>An elliptic curve name (<c>crv</c>); this system signs with P-256 only.</summary>
public readonly record struct KeyCurveName(string Value)
{
    public static KeyCurveName P256 { get; } = new("P-256");

    public override string ToString() => Value ?? string.Empty;
}
