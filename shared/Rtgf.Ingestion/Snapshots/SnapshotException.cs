namespace Rtgf.Ingestion.Snapshots;

/// <summary>A snapshot cannot be built, stored or accepted; the message says which record, file or check failed.</summary>
public sealed class SnapshotException : Exception
{
    public SnapshotException()
    {
    }

    public SnapshotException(string message)
        : base(message)
    {
    }

    public SnapshotException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
