namespace Rtgf.KeyVaultStandIn;

/// <summary>Deliberately wrong signature encodings, to prove clients refuse what a buggy KMS could return.</summary>
public enum SignatureFault
{
    /// <summary>Correct raw r || s (64 bytes).</summary>
    None,

    /// <summary>DER-encoded (RFC 3279 Ecdsa-Sig-Value) instead of raw.</summary>
    Der,

    /// <summary>The first byte dropped, as when a leading zero of r is lost (63 bytes).</summary>
    Truncated,

    /// <summary>r || r: 64 bytes that do not verify.</summary>
    RepeatedR,
}
