using System.Buffers;

namespace Rtgf.Core.Encoding;

/// <summary>A growable byte buffer on pooled arrays: canonical output is built here without per-call garbage.</summary>
internal sealed class PooledByteBuffer(int initialCapacity = 256) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - Length < sizeHint)
        {
            Grow(sizeHint);
        }

        return _buffer.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        Length = length;
    }

    public void WriteByte(byte value)
    {
        if (Length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[Length++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        Length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Grow(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + sizeHint));
        _buffer.AsSpan(0, Length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
