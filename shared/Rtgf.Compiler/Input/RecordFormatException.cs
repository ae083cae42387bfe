namespace Rtgf.Compiler.Input;

/// <summary>A record line does not have the compilerInputVersion 1 shape; turned into a <see cref="CompilerInputException"/> with its place.</summary>
internal sealed class RecordFormatException : Exception
{
    public RecordFormatException()
    {
    }

    public RecordFormatException(string message)
        : base(message)
    {
    }

    public RecordFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
