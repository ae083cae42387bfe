namespace Rtgf.Transparency.Merkle;

/// <summary>The outcome of a proof or signature check: valid, or invalid with the reason.</summary>
public readonly record struct ProofCheck(bool IsValid, string? Reason)
{
    public static ProofCheck Valid { get; } = new(true, null);

    public static ProofCheck Invalid(string reason) => new(false, reason);
}
