namespace Rtgf.Core.Encoding;

/// <summary>JSON that has no RFC 8785 canonical form (or is not JSON at all), with where the problem is.</summary>
public sealed class CanonicalJsonException : Exception
{
    public CanonicalJsonException()
        : this("The JSON cannot be canonicalised.")
    {
    }

    public CanonicalJsonException(string message)
        : base(message)
    {
    }

    public CanonicalJsonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CanonicalJsonException(string message, string? path, long? bytePosition, Exception? innerException = null)
        : base(Describe(message, path, bytePosition), innerException)
    {
        Path = path;
        BytePosition = bytePosition;
    }

    /// <summary>JSONPath-style location of the offending value (<c>$</c> is the root), when known.</summary>
    public string? Path { get; }

    /// <summary>Byte offset into the UTF-8 input, when known.</summary>
    public long? BytePosition { get; }

    private static string Describe(string message, string? path, long? bytePosition) =>
        (path, bytePosition) switch
        {
            (null, null) => message,
            (not null, null) => $"{message} (at {path})",
            (null, not null) => $"{message} (at byte {bytePosition})",
            _ => $"{message} (at {path}, byte {bytePosition})",
        };
}
