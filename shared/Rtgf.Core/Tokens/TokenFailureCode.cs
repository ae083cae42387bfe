namespace Rtgf.Core.Tokens;

/// <summary>Why a token did not verify. One verdict lists every reason found.</summary>
public enum TokenFailureCode
{
    /// <summary>Not three dot-separated parts, or a part too large to be a token.</summary>
    Malformed,

    /// <summary>A part is not strict base64url (padding, whitespace, other characters, stray bits).</summary>
    InvalidEncoding,

    /// <summary>The protected header is not a JSON object with string <c>alg</c>/<c>kid</c>/<c>typ</c>, each once.</summary>
    InvalidHeader,

    /// <summary>The algorithm is not ES256 (<c>none</c>, HS*, RS* and everything else are refused).</summary>
    UnsupportedAlgorithm,

    /// <summary>The header has a <c>crit</c> member: no extensions are understood, so none may be critical.</summary>
    UnsupportedCriticalHeader,

    /// <summary>The header <c>typ</c> is not the expected token type.</summary>
    UnexpectedType,

    /// <summary>The header has no <c>kid</c>.</summary>
    MissingKeyId,

    /// <summary>No key with the header's <c>kid</c> is in the key set (refresh the JWKS, then retry once).</summary>
    UnknownKeyId,

    /// <summary>The ES256 signature does not verify (or is not 64 bytes).</summary>
    InvalidSignature,

    /// <summary>The payload is not a JSON object, or a registered claim has the wrong type or appears twice.</summary>
    InvalidPayload,

    /// <summary>A required claim (<c>iat</c>, <c>exp</c>) is missing.</summary>
    MissingClaim,

    /// <summary>Now is past <c>exp</c> plus the clock skew.</summary>
    Expired,

    /// <summary>Now is before <c>nbf</c> minus the clock skew.</summary>
    NotYetValid,

    /// <summary><c>exp - iat</c> is longer than the policy maximum (<see cref="TokenVerifierOptions.MaxLifetime"/>).</summary>
    LifetimeTooLong,

    /// <summary>The signing issuer key was retired before the token's <c>iat</c> (or before the certificate's <c>nbf</c>).</summary>
    KeyRetired,

    /// <summary>The signing key's certificate is unreadable, is for another key, or its signature does not verify.</summary>
    CertificateInvalid,

    /// <summary>The signing key's certificate names an issuer key that is not a trusted issuer key in the set.</summary>
    CertificateUntrustedIssuer,

    /// <summary>The token's <c>iat</c> is outside the certificate's [nbf, exp) window.</summary>
    CertificateNotValidAtIssuance,
}
