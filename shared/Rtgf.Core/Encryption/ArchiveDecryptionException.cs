namespace Rtgf.Core.Encryption;

/// <summary>An archive that cannot be opened: malformed, wrapped by another key, or failing authentication (tampered).</summary>
public sealed class ArchiveDecryptionException : Exception
{
    public ArchiveDecryptionException(string message)
        : base(message)
    {
    }

    public ArchiveDecryptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ArchiveDecryptionException()
    {
    }
}
