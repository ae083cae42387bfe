namespace Rtgf.Core.Tokens;

/// <summary>One reason a token failed verification.</summary>
public sealed record TokenFailure(TokenFailureCode Code, string Message)
{
    /// <summary>The code as the CLI and APIs print it, e.g. <c>unknown-key-id</c>.</summary>
    public string CodeName => Code switch
    {
        TokenFailureCode.Malformed => "malformed",
        TokenFailureCode.InvalidEncoding => "invalid-encoding",
        TokenFailureCode.InvalidHeader => "invalid-header",
        TokenFailureCode.UnsupportedAlgorithm => "unsupported-algorithm",
        TokenFailureCode.UnsupportedCriticalHeader => "unsupported-critical-header",
        TokenFailureCode.UnexpectedType => "unexpected-type",
        TokenFailureCode.MissingKeyId => "missing-kid",
        TokenFailureCode.UnknownKeyId => "unknown-kid",
        TokenFailureCode.InvalidSignature => "invalid-signature",
        TokenFailureCode.InvalidPayload => "invalid-payload",
        TokenFailureCode.MissingClaim => "missing-claim",
        TokenFailureCode.Expired => "expired",
        TokenFailureCode.NotYetValid => "not-yet-valid",
        TokenFailureCode.LifetimeTooLong => "lifetime-too-long",
        TokenFailureCode.KeyRetired => "key-retired",
        TokenFailureCode.CertificateInvalid => "certificate-invalid",
        TokenFailureCode.CertificateUntrustedIssuer => "certificate-untrusted-issuer",
        TokenFailureCode.CertificateNotValidAtIssuance => "certificate-not-valid-at-issuance",
        _ => Code.ToString(),
    };
}
