namespace Rtgf.Core.Tokens;

/// <summary>The outcome of verifying a token: every failure found, and the claims that could be read.</summary>
public sealed class TokenVerdict
{
    internal TokenVerdict(IReadOnlyList<TokenFailure> failures, ParsedToken parsed)
    {
        Failures = failures;
        KeyId = parsed.Kid;
        IssuerKeyId = parsed.IssuerKid;
        Issuer = parsed.Issuer;
        Subject = parsed.Subject;
        Family = parsed.Family;
        IssuedAt = parsed.IssuedAt;
        NotBefore = parsed.NotBefore;
        Expires = parsed.Expires;
        Payload = parsed.Payload;
    }

    public bool IsValid => Failures.Count == 0;

    public IReadOnlyList<TokenFailure> Failures { get; }

    /// <summary>The header <c>kid</c>.</summary>
    public string? KeyId { get; }

    /// <summary>The trusted issuer key behind the signature: the kid itself, or the issuer of the signing key's certificate.</summary>
    public string? IssuerKeyId { get; }

    public string? Issuer { get; }

    public string? Subject { get; }

    public string? Family { get; }

    public DateTimeOffset? IssuedAt { get; }

    public DateTimeOffset? NotBefore { get; }

    public DateTimeOffset? Expires { get; }

    /// <summary>The decoded payload bytes (empty if they could not be decoded).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    public bool Has(TokenFailureCode code)
    {
        foreach (var failure in Failures)
        {
            if (failure.Code == code)
            {
                return true;
            }
        }

        return false;
    }
}
