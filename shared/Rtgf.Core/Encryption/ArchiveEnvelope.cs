using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;

namespace Rtgf.Core.Encryption;

/// <summary>
/// The encrypted archive format (session archives, backups; docs/spec/archives.md): envelope encryption with a fresh
/// AES-256 data key per archive, wrapped by an <see cref="IDataKeyWrapper"/>.
/// <code>
/// "RTGFENC1" (8 bytes) ‖ header length (uint32, big-endian) ‖ header (UTF-8 JSON) ‖ ciphertext ‖ GCM tag (16 bytes)
/// header: {"v":1,"alg":"A256GCM","kid":…,"kwAlg":…,"wk":base64url,"nonce":base64url,"meta":{…sorted…}}
/// </code>
/// The additional authenticated data is everything before the ciphertext (magic, length and header), so the key id,
/// the wrapped key, the nonce and the metadata cannot be changed without failing authentication.
/// </summary>
public static class ArchiveEnvelope
{
    public const string Algorithm = "A256GCM";
    public const int Version = 1;
    public const int TagSize = 16;

    /// <summary>A header is small (a key id, a wrapped key, a few metadata strings); a bigger one is refused unread.</summary>
    public const int MaxHeaderSize = 64 * 1024;

    private static readonly byte[] Magic = "RTGFENC1"u8.ToArray();
    private static readonly int Prefix = Magic.Length + sizeof(uint);

    /// <summary>Encrypts <paramref name="plaintext"/> under a fresh data key; <paramref name="metadata"/> is authenticated, not encrypted.</summary>
    public static async Task<byte[]> SealAsync(
        ReadOnlyMemory<byte> plaintext,
        IReadOnlyDictionary<string, string> metadata,
        IDataKeyWrapper wrapper,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(wrapper);

        var dataKey = DataKeys.NewDataKey();
        try
        {
            var wrapped = await wrapper.WrapAsync(dataKey, cancellationToken).ConfigureAwait(false);
            var nonce = DataKeys.NewNonce();
            var header = WriteHeader(new ArchiveHeader(Version, wrapped.KeyId, wrapped.Algorithm, metadata), wrapped.Value, nonce);

            var output = new byte[Prefix + header.Length + plaintext.Length + TagSize];
            Magic.CopyTo(output, 0);
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(Magic.Length), checked((uint)header.Length));
            header.CopyTo(output, Prefix);
            var aad = output.AsSpan(0, Prefix + header.Length);
            using var aes = new AesGcm(dataKey, TagSize);
            aes.Encrypt(nonce, plaintext.Span, output.AsSpan(aad.Length, plaintext.Length), output.AsSpan(aad.Length + plaintext.Length), aad);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>The header (key id, metadata) without decrypting: what a purge or a listing needs. Not yet authenticated.</summary>
    public static ArchiveHeader ReadHeader(ReadOnlySpan<byte> archive) => Parse(archive, out _, out _, out _);

    /// <summary>Decrypts and authenticates; throws <see cref="ArchiveDecryptionException"/> on a wrong key or any changed byte.</summary>
    public static async Task<OpenedArchive> OpenAsync(ReadOnlyMemory<byte> archive, IDataKeyWrapper wrapper, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapper);

        var header = Parse(archive.Span, out var wrappedKey, out var nonce, out var headerLength);
        var dataKey = await wrapper.UnwrapAsync(new WrappedDataKey(header.KeyId, header.KeyAlgorithm, wrappedKey), cancellationToken).ConfigureAwait(false);
        try
        {
            if (dataKey.Length != DataKeys.KeySize)
            {
                throw new ArchiveDecryptionException("The unwrapped data key is not an AES-256 key.");
            }

            var aadLength = Prefix + headerLength;
            var cipherLength = archive.Length - aadLength - TagSize;
            var plaintext = new byte[cipherLength];
            using var aes = new AesGcm(dataKey, TagSize);
            aes.Decrypt(nonce, archive.Span.Slice(aadLength, cipherLength), archive.Span[(aadLength + cipherLength)..], plaintext, archive.Span[..aadLength]);
            return new OpenedArchive(header, plaintext);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new ArchiveDecryptionException("The archive does not authenticate: it was changed, or it was sealed under another key.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static byte[] WriteHeader(ArchiveHeader header, byte[] wrappedKey, byte[] nonce)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", header.Version);
            json.WriteString("alg", Algorithm);
            json.WriteString("kid", header.KeyId);
            json.WriteString("kwAlg", header.KeyAlgorithm);
            json.WriteString("wk", Base64Url(wrappedKey));
            json.WriteString("nonce", Base64Url(nonce));
            json.WriteStartObject("meta");
            foreach (var (name, value) in header.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static ArchiveHeader Parse(ReadOnlySpan<byte> archive, out byte[] wrappedKey, out byte[] nonce, out int headerLength)
    {
        if (archive.Length < Prefix || !archive[..Magic.Length].SequenceEqual(Magic))
        {
            throw new ArchiveDecryptionException("Not an RTGF archive (the RTGFENC1 magic is missing).");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(archive[Magic.Length..]);
        if (length > MaxHeaderSize || Prefix + length + TagSize > (uint)archive.Length)
        {
            throw new ArchiveDecryptionException("The archive's header length is out of range (truncated or corrupt).");
        }

        headerLength = (int)length;
        try
        {
            using var document = JsonDocument.Parse(archive.Slice(Prefix, headerLength).ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ArchiveDecryptionException("The archive's header is not a JSON object.");
            }

            var version = Member(root, "v", JsonValueKind.Number).GetInt32();
            if (version != Version || Text(root, "alg") != Algorithm)
            {
                throw new ArchiveDecryptionException($"Unsupported archive version {version} or algorithm.");
            }

            var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in Member(root, "meta", JsonValueKind.Object).EnumerateObject())
            {
                metadata[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Null => string.Empty,
                    _ => throw new ArchiveDecryptionException($"The archive's metadata '{property.Name}' is not a string."),
                };
            }

            wrappedKey = FromBase64Url(Text(root, "wk"));
            nonce = FromBase64Url(Text(root, "nonce"));
            if (nonce.Length != DataKeys.NonceSize)
            {
                throw new ArchiveDecryptionException("The archive's nonce is not 12 bytes.");
            }

            return new ArchiveHeader(version, Text(root, "kid"), Text(root, "kwAlg"), metadata);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            // Every malformed header is the one refusal a reader expects, whatever part of it is wrong.
            throw new ArchiveDecryptionException("The archive's header is not valid.", e);
        }
    }

    private static JsonElement Member(JsonElement root, string name, JsonValueKind kind) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new ArchiveDecryptionException($"The archive's header has no {kind.ToString().ToLowerInvariant()} '{name}'.");

    private static string Text(JsonElement root, string name) => Member(root, name, JsonValueKind.String).GetString()!;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}

/// <summary>An archive's header: format version, the key-encryption key's id and algorithm, and the authenticated metadata.</summary>
public sealed record ArchiveHeader(int Version, string KeyId, string KeyAlgorithm, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A decrypted, authenticated archive.</summary>
public sealed record OpenedArchive(ArchiveHeader Header, byte[] Plaintext);
