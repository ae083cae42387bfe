namespace Rtgf.Transparency.Storage;

/// <summary>Read-only access to a log's objects by tlog-tiles path: the store itself, a directory, or a log served over HTTP.</summary>
public interface ILogObjectSource
{
    /// <summary>The object's bytes, or null when there is none.</summary>
    ValueTask<ReadOnlyMemory<byte>?> ReadAsync(string path, CancellationToken cancellationToken = default);
}
