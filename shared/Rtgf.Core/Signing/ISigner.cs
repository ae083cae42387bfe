namespace Rtgf.Core.Signing;

/// <summary>
/// An ES256 signer (ECDSA P-256 over SHA-256) whose private key may live elsewhere, such as in Key Vault.
/// Callers hash locally and send only the digest, as Key Vault's sign operation expects.
/// </summary>
public interface ISigner
{
    /// <summary>The public half of the signing key; its RFC 7638 thumbprint is the JWS <c>kid</c>.</summary>
    EcPublicKey PublicKey { get; }

    /// <summary>Signs a 32-byte SHA-256 digest and returns the 64-byte IEEE P1363 signature (r || s), as JWS ES256 uses it.</summary>
    ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default);
}
