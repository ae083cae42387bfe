namespace Rtgf.Core.Tokens;

/// <summary>Verification policy.</summary>
public sealed record TokenVerifierOptions
{
    /// <summary>Allowed difference between the verifier's clock and the issuer's for <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest <c>exp - iat</c> accepted (docs/spec/token-format.md). With the certificate's window on <c>iat</c>, it bounds
    /// how long tokens minted with a leaked certified signing key can verify: until the certificate's <c>exp</c> plus this.
    /// </summary>
    public TimeSpan MaxLifetime { get; init; } = ReferenceTokenWriter.MaxLifetime;

    /// <summary>The required header <c>typ</c>; null accepts any (or none).</summary>
    public string? ExpectedType { get; init; } = ReferenceTokenWriter.TokenType;
}
