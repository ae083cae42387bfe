namespace Rtgf.KeyVaultStandIn;

/// <summary>Thread-safe call counters per operation, plus 429s and 401s.</summary>
internal sealed class OperationCounters
{
    private readonly long[] _counts = new long[Enum.GetValues<KeyVaultOperation>().Length];
    private long _throttled;
    private long _challenged;

    public long Throttled => Interlocked.Read(ref _throttled);

    public long Challenged => Interlocked.Read(ref _challenged);

    public void Add(KeyVaultOperation operation) => Interlocked.Increment(ref _counts[(int)operation]);

    public void AddThrottled() => Interlocked.Increment(ref _throttled);

    public void AddChallenged() => Interlocked.Increment(ref _challenged);

    public long Count(KeyVaultOperation operation) => Interlocked.Read(ref _counts[(int)operation]);

    public IReadOnlyDictionary<KeyVaultOperation, long> Snapshot() =>
        Enum.GetValues<KeyVaultOperation>().ToDictionary(o => o, Count);
}
