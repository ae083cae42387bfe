namespace Rtgf.Core.Encryption;

/// <summary>
/// Wraps and unwraps an archive's data key with a key-encryption key the caller never sees (envelope encryption). In Azure
/// the key-encryption key is a Key Vault RSA-HSM key (<c>wrapKey</c>/<c>unwrapKey</c>, RSA-OAEP-256); locally it is a
/// development key in a file (<see cref="LocalDevelopmentKeyWrapper"/>).
/// </summary>
public interface IDataKeyWrapper
{
    /// <summary>Wraps <paramref name="dataKey"/> with the current key-encryption key.</summary>
    Task<WrappedDataKey> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Unwraps a key this wrapper (or an earlier version of its key) wrapped; throws <see cref="ArchiveDecryptionException"/>
    /// when <paramref name="wrapped"/> names a key it does not hold or does not authenticate.
    /// </summary>
    Task<byte[]> UnwrapAsync(WrappedDataKey wrapped, CancellationToken cancellationToken = default);
}

/// <summary>A wrapped data key: the key-encryption key's id (versioned), the wrapping algorithm and the wrapped bytes.</summary>
public sealed record WrappedDataKey(string KeyId, string Algorithm, byte[] Value);
