namespace Rtgf.Ingestion;

/// <summary>
/// An upstream answered with bytes that do not have the documented shape (malformed, truncated or drifted).
/// Parsers throw it instead of returning a partial result; the message says what was expected and where.
/// </summary>
public sealed class UpstreamFormatException : Exception
{
    public UpstreamFormatException()
    {
    }

    public UpstreamFormatException(string message)
        : base(message)
    {
    }

    public UpstreamFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
