using System.Security.Cryptography;

namespace Rtgf.Core.Encryption;

/// <summary>
/// The one place archives draw randomness: a fresh AES-256 data key per archive and a fresh 96-bit GCM nonce per
/// encryption. Allow-listed for the banned-API analyzer (.editorconfig); nothing deterministic calls it.
/// </summary>
public static class DataKeys
{
    /// <summary>AES-256: 32 bytes.</summary>
    public const int KeySize = 32;

    /// <summary>AES-GCM's recommended nonce: 12 bytes.</summary>
    public const int NonceSize = 12;

    public static byte[] NewDataKey() => RandomNumberGenerator.GetBytes(KeySize);

    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceSize);
}
