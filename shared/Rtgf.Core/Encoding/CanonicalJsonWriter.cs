namespace Rtgf.Core.Encoding;

/// <summary>
/// Writes canonical JSON (RFC 8785) straight from code, with no parse round trip: the compiler emits token payloads with it.
/// Members must be written in ordinal (UTF-16 code unit) order, each once; the writer checks this rather than buffering
/// and sorting, so a mistake is an exception, never different bytes.
/// </summary>
public sealed class CanonicalJsonWriter : IDisposable
{
    private readonly PooledByteBuffer _output;
    private readonly List<Scope> _scopes = [];
    private bool _rootWritten;

    public CanonicalJsonWriter(int initialCapacity = 256) => _output = new PooledByteBuffer(initialCapacity);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _output.WrittenSpan;

    public int Length => _output.Length;

    /// <summary>Whether exactly one complete JSON value has been written.</summary>
    public bool IsComplete => _rootWritten && _scopes.Count == 0;

    public void WriteStartObject()
    {
        BeforeValue();
        _output.WriteByte((byte)'{');
        _scopes.Add(new Scope(IsObject: true));
    }

    public void WriteEndObject()
    {
        var scope = Current("WriteEndObject");
        if (!scope.IsObject || scope.ExpectingValue)
        {
            throw new InvalidOperationException(scope.IsObject ? "A member name was written without its value." : "WriteEndObject inside an array.");
        }

        _scopes.RemoveAt(_scopes.Count - 1);
        _output.WriteByte((byte)'}');
        AfterValue();
    }

    public void WriteStartArray()
    {
        BeforeValue();
        _output.WriteByte((byte)'[');
        _scopes.Add(new Scope(IsObject: false));
    }

    public void WriteEndArray()
    {
        if (Current("WriteEndArray").IsObject)
        {
            throw new InvalidOperationException("WriteEndArray inside an object.");
        }

        _scopes.RemoveAt(_scopes.Count - 1);
        _output.WriteByte((byte)']');
        AfterValue();
    }

    public void WritePropertyName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var scope = Current("WritePropertyName");
        if (!scope.IsObject || scope.ExpectingValue)
        {
            throw new InvalidOperationException(scope.IsObject ? "Two member names in a row." : "A member name inside an array.");
        }

        if (scope.LastName is not null && string.CompareOrdinal(scope.LastName, name) >= 0)
        {
            throw new CanonicalJsonException(
                $"Member '{name}' is written after '{scope.LastName}': canonical JSON needs members in ordinal (UTF-16) order, each once.");
        }

        if (scope.Count > 0)
        {
            _output.WriteByte((byte)',');
        }

        JcsPrimitives.WriteString(_output, name, () => "member " + name);
        _output.WriteByte((byte)':');
        _scopes[^1] = scope with { LastName = name, ExpectingValue = true };
    }

    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        BeforeValue();
        JcsPrimitives.WriteString(_output, value, null);
        AfterValue();
    }

    /// <summary>Writes an integer; I-JSON limits integers to ±(2^53-1), beyond which readers disagree.</summary>
    public void WriteNumber(long value)
    {
        if (value is > JcsPrimitives.MaxSafeInteger or < -JcsPrimitives.MaxSafeInteger)
        {
            throw new CanonicalJsonException($"The integer {value} exceeds 2^53-1 (I-JSON); write it as a string.");
        }

        BeforeValue();
        JcsPrimitives.WriteInteger(_output, value);
        AfterValue();
    }

    public void WriteNumber(double value)
    {
        BeforeValue();
        JcsPrimitives.WriteNumber(_output, value);
        AfterValue();
    }

    public void WriteBoolean(bool value)
    {
        BeforeValue();
        _output.Write(value ? "true"u8 : "false"u8);
        AfterValue();
    }

    public void WriteNull()
    {
        BeforeValue();
        _output.Write("null"u8);
        AfterValue();
    }

    /// <summary>Writes a JSON value given as UTF-8 text, canonicalised (it is validated like <see cref="CanonicalJson.Canonicalize"/>).</summary>
    public void WriteCanonicalized(ReadOnlySpan<byte> utf8Json)
    {
        BeforeValue();
        var rollback = _output.Length;
        try
        {
            JcsCanonicalizer.Canonicalize(utf8Json, _output);
        }
        catch
        {
            _output.Truncate(rollback);
            throw;
        }

        AfterValue();
    }

    public void WriteString(string name, string value)
    {
        WritePropertyName(name);
        WriteString(value);
    }

    public void WriteNumber(string name, long value)
    {
        WritePropertyName(name);
        WriteNumber(value);
    }

    /// <summary>The finished document. Throws if the value is incomplete.</summary>
    public byte[] ToArray() => IsComplete
        ? _output.WrittenSpan.ToArray()
        : throw new InvalidOperationException("The JSON value is not complete.");

    /// <summary>Clears the writer for the next document, keeping its buffer.</summary>
    public void Reset()
    {
        _output.Truncate(0);
        _scopes.Clear();
        _rootWritten = false;
    }

    public void Dispose() => _output.Dispose();

    private Scope Current(string operation) =>
        _scopes.Count > 0 ? _scopes[^1] : throw new InvalidOperationException($"{operation} outside any object or array.");

    private void BeforeValue()
    {
        if (_scopes.Count == 0)
        {
            if (_rootWritten)
            {
                throw new InvalidOperationException("A canonical JSON document holds exactly one value.");
            }

            return;
        }

        var scope = _scopes[^1];
        if (scope.IsObject && !scope.ExpectingValue)
        {
            throw new InvalidOperationException("A value inside an object needs a member name first.");
        }

        if (!scope.IsObject && scope.Count > 0)
        {
            _output.WriteByte((byte)',');
        }
    }

    private void AfterValue()
    {
        if (_scopes.Count == 0)
        {
            _rootWritten = true;
            return;
        }

        var scope = _scopes[^1];
        _scopes[^1] = scope with { Count = scope.Count + 1, ExpectingValue = false };
    }

    private readonly record struct Scope(bool IsObject, int Count = 0, string? LastName = null, bool ExpectingValue = false);
}
