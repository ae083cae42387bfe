using System.Buffers.Text;
using System.Security.Cryptography;

namespace Rtgf.Pipeline.Access;

/// <summary>
/// An API key as clients present it: <c>rtgf_</c> + a 16-character public id (lowercase base32) + <c>_</c> + a 43-character
/// secret (32 random bytes, base64url without padding), 65 characters in all. The prefix makes keys recognisable to people
/// and to secret scanners; the public id names the key in logs and URLs; only the secret is secret (docs/spec/api-keys.md).
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "rtgf_";
    public const int IdLength = 16;
    public const int SecretBytes = 32;
    public const int SecretLength = 43;
    public const int Length = 5 + IdLength + 1 + SecretLength;

    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>A new random public id (80 bits).</summary>
    public static string NewId()
    {
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        Span<char> id = stackalloc char[IdLength];
        ulong bits = 0;
        var count = 0;
        var written = 0;
        foreach (var b in random)
        {
            bits = (bits << 8) | b;
            count += 8;
            while (count >= 5)
            {
                count -= 5;
                id[written++] = Base32[(int)((bits >> count) & 31)];
            }
        }

        return new string(id);
    }

    /// <summary>A new random secret.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    /// <summary>The key as the client presents it.</summary>
    public static string Format(string id, ReadOnlySpan<byte> secret)
    {
        if (!IsId(id) || secret.Length != SecretBytes)
        {
            throw new ArgumentException("Not an API key id and secret.", nameof(id));
        }

        return Prefix + id + "_" + Base64Url.EncodeToString(secret);
    }

    /// <summary>Whether <paramref name="id"/> is a public id's shape (16 lowercase base32 characters).</summary>
    public static bool IsId(ReadOnlySpan<char> id)
    {
        if (id.Length != IdLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '2' and <= '7')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Splits a presented key into its public id and secret by shape alone (no storage read): wrong prefix, lengths or
    /// alphabet, padding, or a secret whose unused bits are set are all refused.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> key, out string id, Span<byte> secret)
    {
        id = string.Empty;
        if (key.Length != Length || secret.Length != SecretBytes || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        var idPart = key.Slice(Prefix.Length, IdLength);
        var secretPart = key[(Prefix.Length + IdLength + 1)..];
        foreach (var c in secretPart)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return false;
            }
        }

        if (!IsId(idPart)
            || Base64Url.DecodeFromChars(secretPart, secret, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != SecretLength || written != SecretBytes
            || !Base64Url.EncodeToString(secret).AsSpan().SequenceEqual(secretPart))
        {
            return false;
        }

        id = idPart.ToString();
        return true;
    }
}
