using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Tests.Support;

/// <summary>Passes every read to a revocation reader, counting the ones the verifier makes (epoch, status list, revocation record).</summary>
public sealed class CountingRevocationReader(IRevocationReader inner) : IRevocationReader
{
    private int _epochReads;
    private int _listReads;
    private int _recordReads;

    public int EpochReads => Volatile.Read(ref _epochReads);

    public int ListReads => Volatile.Read(ref _listReads);

    public int RecordReads => Volatile.Read(ref _recordReads);

    public int Reads => EpochReads + ListReads + RecordReads;

    public Task<long> GetEpochAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _epochReads);
        return inner.GetEpochAsync(cancellationToken);
    }

    public Task<RevocationChanges> GetChangesAfterAsync(RevocationFeedPosition after, int max, CancellationToken cancellationToken = default) =>
        inner.GetChangesAfterAsync(after, max, cancellationToken);

    public Task<long> GetCompleteEpochAsync(CancellationToken cancellationToken = default) => inner.GetCompleteEpochAsync(cancellationToken);

    public Task<StatusListDocument?> GetStatusListAsync(string listId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _listReads);
        return inner.GetStatusListAsync(listId, cancellationToken);
    }

    public Task<IReadOnlyList<StatusListDocument>> ListStatusListsAsync(CancellationToken cancellationToken = default) =>
        inner.ListStatusListsAsync(cancellationToken);

    public Task<RevocationRecord?> GetRevocationAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _recordReads);
        return inner.GetRevocationAsync(tokenId, cancellationToken);
    }
}
