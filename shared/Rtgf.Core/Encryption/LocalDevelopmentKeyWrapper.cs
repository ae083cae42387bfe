using System.Globalization;
using System.Security.Cryptography;

namespace Rtgf.Core.Encryption;

/// <summary>
/// Local development's key-encryption key: 32 bytes from a file the local runner creates outside the repository
/// (<c>Archive:DevelopmentKeyPath</c>). Wraps with AES-256-GCM (<c>nonce ‖ ciphertext ‖ tag</c>); the key id is
/// <c>local:</c> and the first 16 hex digits of the key's SHA-256, so an archive wrapped by another development key is
/// refused by id before any decryption. Never used in Azure (the composition refuses it there).
/// </summary>
public sealed class LocalDevelopmentKeyWrapper : IDataKeyWrapper
{
    public const string Algorithm = "A256GCM-KW";

    private readonly byte[] _key;

    public LocalDevelopmentKeyWrapper(ReadOnlySpan<byte> key)
    {
        if (key.Length != DataKeys.KeySize)
        {
            throw new ArgumentException($"A development key-encryption key is {DataKeys.KeySize} bytes, not {key.Length}.", nameof(key));
        }

        _key = key.ToArray();
        KeyId = "local:" + Convert.ToHexStringLower(SHA256.HashData(_key).AsSpan(0, 8));
    }

    public string KeyId { get; }

    /// <summary>
    /// The development key in <paramref name="path"/>: 32 raw bytes, or their base64 as text (the local runner writes its
    /// development keys that way, in owner-only files).
    /// </summary>
    public static LocalDevelopmentKeyWrapper FromFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == DataKeys.KeySize)
        {
            return new LocalDevelopmentKeyWrapper(bytes);
        }

        try
        {
            return new LocalDevelopmentKeyWrapper(Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(bytes).Trim()));
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"The development key file '{path}' holds neither {DataKeys.KeySize} bytes nor their base64.", nameof(path), e);
        }
    }

    public Task<WrappedDataKey> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default)
    {
        var nonce = DataKeys.NewNonce();
        var output = new byte[DataKeys.NonceSize + dataKey.Length + AesGcm.TagByteSizes.MaxSize];
        nonce.CopyTo(output, 0);
        using var aes = new AesGcm(_key, AesGcm.TagByteSizes.MaxSize);
        aes.Encrypt(
            nonce,
            dataKey.Span,
            output.AsSpan(DataKeys.NonceSize, dataKey.Length),
            output.AsSpan(DataKeys.NonceSize + dataKey.Length),
            System.Text.Encoding.UTF8.GetBytes(KeyId));
        return Task.FromResult(new WrappedDataKey(KeyId, Algorithm, output));
    }

    public Task<byte[]> UnwrapAsync(WrappedDataKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (!string.Equals(wrapped.KeyId, KeyId, StringComparison.Ordinal) || !string.Equals(wrapped.Algorithm, Algorithm, StringComparison.Ordinal))
        {
            throw new ArchiveDecryptionException(string.Create(CultureInfo.InvariantCulture, $"The data key was wrapped by {wrapped.KeyId} ({wrapped.Algorithm}), not by this development key {KeyId}."));
        }

        var tag = AesGcm.TagByteSizes.MaxSize;
        if (wrapped.Value.Length <= DataKeys.NonceSize + tag)
        {
            throw new ArchiveDecryptionException("The wrapped data key is too short.");
        }

        var length = wrapped.Value.Length - DataKeys.NonceSize - tag;
        var key = new byte[length];
        try
        {
            using var aes = new AesGcm(_key, tag);
            aes.Decrypt(
                wrapped.Value.AsSpan(0, DataKeys.NonceSize),
                wrapped.Value.AsSpan(DataKeys.NonceSize, length),
                wrapped.Value.AsSpan(DataKeys.NonceSize + length),
                key,
                System.Text.Encoding.UTF8.GetBytes(KeyId));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new ArchiveDecryptionException("The wrapped data key does not authenticate under this development key.", e);
        }

        return Task.FromResult(key);
    }
}
