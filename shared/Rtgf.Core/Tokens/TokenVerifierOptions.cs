namespace Rtgf.Core.Tokens;

/// <summary>Verification policy.</summary>
public sealed record TokenVerifierOptions
{
    /// <summary>Allowed difference between the verifier's clock and the issuer's for <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The required header <c>typ</c>; null accepts any (or none).</summary>
    public string? ExpectedType { get; init; } = ReferenceTokenWriter.TokenType;
}
