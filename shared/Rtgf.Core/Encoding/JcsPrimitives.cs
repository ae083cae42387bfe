using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

namespace Rtgf.Core.Encoding;

/// <summary>RFC 8785 leaf rules: string escaping (JCS, not System.Text.Json's encoder) and ES6 number layout.</summary>
internal static class JcsPrimitives
{
    /// <summary>2^53 - 1: the largest integer every I-JSON reader represents exactly.</summary>
    public const long MaxSafeInteger = 9007199254740991;

    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, (byte)'"', (byte)'\\']);

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>Writes a quoted, JCS-escaped string from valid UTF-8.</summary>
    public static void WriteString(PooledByteBuffer output, ReadOnlySpan<byte> utf8)
    {
        output.WriteByte((byte)'"');
        while (!utf8.IsEmpty)
        {
            var i = utf8.IndexOfAny(NeedsEscape);
            if (i < 0)
            {
                output.Write(utf8);
                break;
            }

            output.Write(utf8[..i]);
            WriteEscape(output, utf8[i]);
            utf8 = utf8[(i + 1)..];
        }

        output.WriteByte((byte)'"');
    }

    /// <summary>Writes a quoted, JCS-escaped string from UTF-16, rejecting lone surrogates.</summary>
    public static void WriteString(PooledByteBuffer output, string value, Func<string>? path)
    {
        var max = checked(value.Length * 3);
        byte[]? rented = null;
        var scratch = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            if (Utf8.FromUtf16(value, scratch, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                throw new CanonicalJsonException("The string contains a lone UTF-16 surrogate, which has no UTF-8 form.", path?.Invoke(), null);
            }

            WriteString(output, scratch[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static void WriteInteger(PooledByteBuffer output, long value)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    public static void WriteNumber(PooledByteBuffer output, double value)
    {
        var written = FormatNumber(value, output.GetSpan(32));
        output.Advance(written);
    }

    /// <summary>ECMAScript Number.prototype.toString (ES6 §7.1.12.1) into ASCII bytes; at most 32 bytes.</summary>
    public static int FormatNumber(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new CanonicalJsonException($"The number {value.ToString(CultureInfo.InvariantCulture)} is not finite; JSON has no form for it.");
        }

        if (value == 0)
        {
            destination[0] = (byte)'0'; // also -0, as ES6 prints it
            return 1;
        }

        // .NET Core 3.0+ "R" gives the shortest round-trip digits; only the layout differs from ES6.
        Span<byte> raw = stackalloc byte[40];
        value.TryFormat(raw, out var rawLength, "R", CultureInfo.InvariantCulture);
        raw = raw[..rawLength];

        Span<byte> digits = stackalloc byte[24];
        var k = 0;
        var pointPosition = -1;
        var pos = 0;
        var negative = raw[0] == (byte)'-';
        if (negative)
        {
            pos++;
        }

        for (; pos < raw.Length && raw[pos] != (byte)'E'; pos++)
        {
            if (raw[pos] == (byte)'.')
            {
                pointPosition = k;
            }
            else
            {
                digits[k++] = raw[pos];
            }
        }

        if (pointPosition < 0)
        {
            pointPosition = k;
        }

        var exponent = 0;
        if (pos < raw.Length)
        {
            exponent = int.Parse(raw[(pos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        // value = 0.d1d2...dk × 10^n, with no leading or trailing zeros in the digits.
        var n = pointPosition + exponent;
        var start = 0;
        while (start < k - 1 && digits[start] == (byte)'0')
        {
            start++;
            n--;
        }

        digits = digits[start..k];
        k = digits.Length;
        while (k > 1 && digits[k - 1] == (byte)'0')
        {
            k--;
        }

        digits = digits[..k];

        var o = 0;
        if (negative)
        {
            destination[o++] = (byte)'-';
        }

        if (k <= n && n <= 21)
        {
            digits.CopyTo(destination[o..]);
            o += k;
            destination.Slice(o, n - k).Fill((byte)'0');
            o += n - k;
        }
        else if (0 < n && n <= 21)
        {
            digits[..n].CopyTo(destination[o..]);
            o += n;
            destination[o++] = (byte)'.';
            digits[n..].CopyTo(destination[o..]);
            o += k - n;
        }
        else if (-6 < n && n <= 0)
        {
            destination[o++] = (byte)'0';
            destination[o++] = (byte)'.';
            destination.Slice(o, -n).Fill((byte)'0');
            o += -n;
            digits.CopyTo(destination[o..]);
            o += k;
        }
        else
        {
            destination[o++] = digits[0];
            if (k > 1)
            {
                destination[o++] = (byte)'.';
                digits[1..].CopyTo(destination[o..]);
                o += k - 1;
            }

            destination[o++] = (byte)'e';
            var e = n - 1;
            destination[o++] = e >= 0 ? (byte)'+' : (byte)'-';
            Math.Abs(e).TryFormat(destination[o..], out var expLength, default, CultureInfo.InvariantCulture);
            o += expLength;
        }

        return o;
    }

    public static string FormatNumber(double value)
    {
        Span<byte> buffer = stackalloc byte[32];
        return System.Text.Encoding.ASCII.GetString(buffer[..FormatNumber(value, buffer)]);
    }

    private static void WriteEscape(PooledByteBuffer output, byte b)
    {
        var span = output.GetSpan(6);
        span[0] = (byte)'\\';
        var length = 2;
        switch (b)
        {
            case (byte)'"': span[1] = (byte)'"'; break;
            case (byte)'\\': span[1] = (byte)'\\'; break;
            case 0x08: span[1] = (byte)'b'; break;
            case 0x09: span[1] = (byte)'t'; break;
            case 0x0A: span[1] = (byte)'n'; break;
            case 0x0C: span[1] = (byte)'f'; break;
            case 0x0D: span[1] = (byte)'r'; break;
            default:
                span[1] = (byte)'u';
                span[2] = (byte)'0';
                span[3] = (byte)'0';
                span[4] = HexDigits[b >> 4];
                span[5] = HexDigits[b & 0xF];
                length = 6;
                break;
        }

        output.Advance(length);
    }
}
