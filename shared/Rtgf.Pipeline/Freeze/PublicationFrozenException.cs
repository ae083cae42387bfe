namespace Rtgf.Pipeline.Freeze;

/// <summary>A publish path was refused because publication is frozen.</summary>
public sealed class PublicationFrozenException : Exception
{
    public PublicationFrozenException()
    {
    }

    public PublicationFrozenException(string message)
        : base(message)
    {
    }

    public PublicationFrozenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
