using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Rtgf.Core.Encoding;

/// <summary>
/// Parses I-JSON with <see cref="Utf8JsonReader"/> and writes its RFC 8785 form. Members are written in input order and
/// re-ordered in place only when an object is not already sorted, so canonical input costs one pass.
/// </summary>
internal sealed class JcsCanonicalizer
{
    private static readonly SearchValues<byte> NonIntegerMarkers = SearchValues.Create(".eE"u8);
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128 };

    private readonly PooledByteBuffer _output;
    private readonly List<Member> _members = [];
    private readonly List<Frame> _path = [];

    private JcsCanonicalizer(PooledByteBuffer output) => _output = output;

    public static void Canonicalize(ReadOnlySpan<byte> utf8Json, PooledByteBuffer output)
    {
        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new CanonicalJsonException("The input is empty; expected a JSON value.", "$", 0);
        }

        var canonicalizer = new JcsCanonicalizer(output);
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            reader.Read();
            canonicalizer.WriteValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new CanonicalJsonException("Invalid JSON: " + ex.Message, canonicalizer.PathString(), reader.BytesConsumed, ex);
        }

        var end = reader.BytesConsumed;
        bool more;
        try
        {
            more = reader.Read();
        }
        catch (JsonException ex)
        {
            throw new CanonicalJsonException("Unexpected data after the JSON value.", null, end, ex);
        }

        if (more)
        {
            throw new CanonicalJsonException("Unexpected data after the JSON value.", null, end);
        }
    }

    private void WriteValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                WriteObject(ref reader);
                break;
            case JsonTokenType.StartArray:
                WriteArray(ref reader);
                break;
            case JsonTokenType.String:
                WriteStringValue(ref reader);
                break;
            case JsonTokenType.Number:
                WriteNumberValue(ref reader);
                break;
            case JsonTokenType.True:
                _output.Write("true"u8);
                break;
            case JsonTokenType.False:
                _output.Write("false"u8);
                break;
            case JsonTokenType.Null:
                _output.Write("null"u8);
                break;
            default:
                throw Fail($"Unexpected JSON token {reader.TokenType}.", ref reader);
        }
    }

    private void WriteObject(ref Utf8JsonReader reader)
    {
        _output.WriteByte((byte)'{');
        var firstMember = _members.Count;
        var regionStart = _output.Length;
        var sorted = true;
        string? previous = null;
        _path.Add(new Frame(null, -1));
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var key = ReadKey(ref reader);
            _path[^1] = new Frame(key, -1);
            if (previous is not null)
            {
                var order = string.CompareOrdinal(previous, key);
                if (order == 0)
                {
                    throw Fail($"Duplicate member name '{key}'.", ref reader);
                }

                sorted &= order < 0;
                _output.WriteByte((byte)',');
            }

            var start = _output.Length;
            WriteKeyBytes(ref reader);
            _output.WriteByte((byte)':');
            reader.Read();
            WriteValue(ref reader);
            _members.Add(new Member(key, start, _output.Length - start));
            previous = key;
        }

        _path.RemoveAt(_path.Count - 1);
        if (!sorted)
        {
            Reorder(firstMember, regionStart, ref reader);
        }

        _members.RemoveRange(firstMember, _members.Count - firstMember);
        _output.WriteByte((byte)'}');
    }

    private void Reorder(int firstMember, int regionStart, ref Utf8JsonReader reader)
    {
        var members = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_members)[firstMember..];
        members.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (var i = 1; i < members.Length; i++)
        {
            if (string.Equals(members[i - 1].Key, members[i].Key, StringComparison.Ordinal))
            {
                throw Fail($"Duplicate member name '{members[i].Key}'.", ref reader);
            }
        }

        var length = _output.Length - regionStart;
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            _output.WrittenSpan[regionStart..].CopyTo(copy);
            _output.Truncate(regionStart);
            for (var i = 0; i < members.Length; i++)
            {
                if (i > 0)
                {
                    _output.WriteByte((byte)',');
                }

                _output.Write(copy.AsSpan(members[i].Start - regionStart, members[i].Length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private void WriteArray(ref Utf8JsonReader reader)
    {
        _output.WriteByte((byte)'[');
        _path.Add(new Frame(null, 0));
        var index = 0;
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (index > 0)
            {
                _output.WriteByte((byte)',');
            }

            _path[^1] = new Frame(null, index++);
            WriteValue(ref reader);
        }

        _path.RemoveAt(_path.Count - 1);
        _output.WriteByte((byte)']');
    }

    private string ReadKey(ref Utf8JsonReader reader)
    {
        try
        {
            var key = reader.GetString()!;
            if (!reader.ValueIsEscaped && !Utf8.IsValid(reader.ValueSpan))
            {
                throw Fail("A member name is not valid UTF-8.", ref reader);
            }

            if (reader.ValueIsEscaped)
            {
                EnsureNoLoneSurrogate(key, ref reader);
            }

            return key;
        }
        catch (InvalidOperationException ex)
        {
            throw Fail("A member name is not valid Unicode (invalid UTF-8 or a lone surrogate): " + ex.Message, ref reader, ex);
        }
    }

    private void WriteKeyBytes(ref Utf8JsonReader reader) => WriteStringBytes(ref reader);

    private void WriteStringValue(ref Utf8JsonReader reader) => WriteStringBytes(ref reader);

    private void WriteStringBytes(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            if (!Utf8.IsValid(raw))
            {
                throw Fail("A string is not valid UTF-8 (raw lone surrogates or invalid bytes).", ref reader);
            }

            JcsPrimitives.WriteString(_output, raw);
            return;
        }

        byte[]? rented = null;
        var scratch = raw.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            int written;
            try
            {
                written = reader.CopyString(scratch);
            }
            catch (InvalidOperationException ex)
            {
                throw Fail("A string contains an escaped lone surrogate or invalid Unicode: " + ex.Message, ref reader, ex);
            }

            if (!Utf8.IsValid(scratch[..written]))
            {
                throw Fail("A string contains an escaped lone surrogate.", ref reader);
            }

            JcsPrimitives.WriteString(_output, scratch[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private void WriteNumberValue(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        var isInteger = raw.IndexOfAny(NonIntegerMarkers) < 0;
        var digits = raw[0] == (byte)'-' ? raw.Length - 1 : raw.Length;
        if (isInteger && digits <= 15)
        {
            // Below 10^15 an integer's JSON text already is its ES6 form (JSON forbids leading zeros); only -0 changes.
            if (raw.SequenceEqual("-0"u8))
            {
                _output.WriteByte((byte)'0');
            }
            else
            {
                _output.Write(raw);
            }

            return;
        }

        var value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw Fail($"The number {System.Text.Encoding.UTF8.GetString(raw)} is outside the IEEE-754 double range.", ref reader);
        }

        if (isInteger && Math.Abs(value) > JcsPrimitives.MaxSafeInteger)
        {
            throw Fail(
                $"The integer {System.Text.Encoding.UTF8.GetString(raw)} exceeds 2^53-1 (I-JSON): readers would disagree on its value; write it as a string.",
                ref reader);
        }

        JcsPrimitives.WriteNumber(_output, value);
    }

    private void EnsureNoLoneSurrogate(string value, ref Utf8JsonReader reader)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                throw Fail("A member name contains an escaped lone surrogate.", ref reader);
            }
        }
    }

    private CanonicalJsonException Fail(string message, ref Utf8JsonReader reader, Exception? inner = null) =>
        new(message, PathString(), reader.TokenStartIndex, inner);

    private string PathString()
    {
        var builder = new StringBuilder("$");
        foreach (var frame in _path)
        {
            if (frame.Key is not null)
            {
                builder.Append('.').Append(frame.Key);
            }
            else if (frame.Index >= 0)
            {
                builder.Append('[').Append(frame.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
        }

        return builder.ToString();
    }

    private readonly record struct Member(string Key, int Start, int Length);

    private readonly record struct Frame(string? Key, int Index);
}
