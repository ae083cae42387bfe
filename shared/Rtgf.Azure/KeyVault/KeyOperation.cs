namespace Rtgf.Azure.KeyVault;

/// <summary>A key operation (<c>key_ops</c>).</summary>
public readonly record struct KeyOperation(string Value)
{
    public static KeyOperation Sign { get; } = new("sign");

    public static KeyOperation Verify { get; } = new("verify");

    public static KeyOperation WrapKey { get; } = new("wrapKey");

    public static KeyOperation UnwrapKey { get; } = new("unwrapKey");

    public override string ToString() => Value ?? string.Empty;
}
