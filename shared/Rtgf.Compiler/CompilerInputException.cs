namespace Rtgf.Compiler;

/// <summary>
/// A snapshot cannot be compiled: unknown or repeated source, a digest that does not match, or a record that does not
/// parse. <see cref="Source"/>, <see cref="Line"/> (1-based) and <see cref="Key"/> say where, when known.
/// </summary>
public sealed class CompilerInputException : Exception
{
    public CompilerInputException()
    {
    }

    public CompilerInputException(string message)
        : base(message)
    {
    }

    public CompilerInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CompilerInputException(string source, long? line, string? key, string message, Exception? innerException = null)
        : base(Describe(source, line, key, message), innerException)
    {
        Source = source;
        Line = line;
        Key = key;
    }

    /// <summary>The snapshot source at fault (shadows <see cref="Exception.Source"/> on purpose: it is the one that matters here).</summary>
    public new string? Source { get; }

    public long? Line { get; }

    public string? Key { get; }

    private static string Describe(string source, long? line, string? key, string message) =>
        $"Snapshot '{source}'" + (line is { } l ? $" line {l}" : string.Empty) + (key is null ? string.Empty : $" (record {key})") + ": " + message;
}
