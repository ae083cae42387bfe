namespace Rtgf.Transparency.Storage;

/// <summary>
/// Lists the objects a log has stored, whether or not a checkpoint covers them: what an audit needs to check that an object,
/// once served, never changed (every stored partial tile is a prefix of its successor). A directory or a Blob container can
/// list; a log served over HTTP cannot.
/// </summary>
public interface ILogObjectLister
{
    /// <summary>The stored paths starting with <paramref name="prefix"/> (such as <c>tile/</c>), in no particular order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default);
}
