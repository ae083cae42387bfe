using System.IO.Compression;
using Rtgf.Core.Encoding;

namespace Rtgf.Core.Tokens;

/// <summary>
/// An IETF Token Status List (draft-ietf-oauth-status-list): <c>bits</c> per status, packed from the least significant
/// bit, serialised as base64url (no padding) of ZLIB-compressed bytes (<c>lst</c>). Values: 0 valid, 1 invalid (revoked),
/// 2 suspended.
/// </summary>
public sealed class StatusList
{
    /// <summary>Status of a token that is not revoked.</summary>
    public const byte Valid = 0;

    /// <summary>Status of a revoked token.</summary>
    public const byte Invalid = 1;

    /// <summary>Status of a suspended token.</summary>
    public const byte Suspended = 2;

    // Decoded lists larger than this are refused: a few bytes of zlib can otherwise claim gigabytes.
    private const int MaxDecodedBytes = 16 * 1024 * 1024;

    private readonly byte[] _bytes;

    public StatusList(int capacity, int bits = 1)
    {
        if (bits is not (1 or 2 or 4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "A status list has 1, 2, 4 or 8 bits per status.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Bits = bits;
        _bytes = new byte[checked((capacity * bits + 7) / 8)];
    }

    private StatusList(byte[] bytes, int bits)
    {
        Bits = bits;
        _bytes = bytes;
    }

    public int Bits { get; }

    /// <summary>How many statuses the list holds.</summary>
    public int Capacity => _bytes.Length * 8 / Bits;

    /// <summary>The packed (uncompressed) bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    public byte this[int index]
    {
        get
        {
            CheckIndex(index);
            var (slot, shift, mask) = Locate(index);
            return (byte)((_bytes[slot] >> shift) & mask);
        }

        set
        {
            CheckIndex(index);
            var (slot, shift, mask) = Locate(index);
            if (value > mask)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"A {Bits}-bit status list holds values up to {mask}.");
            }

            _bytes[slot] = (byte)((_bytes[slot] & ~(mask << shift)) | (value << shift));
        }
    }

    /// <summary>The <c>lst</c> member: base64url of the ZLIB-compressed bytes (smallest size, so equal lists give equal text).</summary>
    public string Encode()
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(_bytes);
        }

        return Base64UrlStrict.Encode(output.ToArray());
    }

    /// <summary>Decodes an <c>lst</c> member; malformed input is a <see cref="FormatException"/>.</summary>
    public static StatusList Decode(string lst, int bits)
    {
        ArgumentNullException.ThrowIfNull(lst);
        if (bits is not (1 or 2 or 4 or 8))
        {
            throw new FormatException($"A status list has 1, 2, 4 or 8 bits per status, not {bits}.");
        }

        var compressed = Base64UrlStrict.Decode(lst, "The status list 'lst'");

        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxDecodedBytes)
                {
                    throw new FormatException($"The status list decompresses to more than {MaxDecodedBytes} bytes.");
                }

                output.Write(buffer, 0, read);
            }

            return new StatusList(output.ToArray(), bits);
        }
        catch (InvalidDataException e)
        {
            throw new FormatException("The status list 'lst' is not ZLIB data: " + e.Message, e);
        }
    }

    private (int Slot, int Shift, int Mask) Locate(int index)
    {
        var perByte = 8 / Bits;
        return (index / perByte, index % perByte * Bits, (1 << Bits) - 1);
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The status list holds {Capacity} statuses.");
        }
    }
}
