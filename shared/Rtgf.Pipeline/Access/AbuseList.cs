using System.Collections.Concurrent;

namespace Rtgf.Pipeline.Access;

/// <summary>A temporary block of one client address, shared by every instance (table <c>abuseblocks</c>).</summary>
public sealed record AbuseBlock(string Address, DateTimeOffset Until, string Reason);

public interface IAbuseBlockStore
{
    /// <summary>Records (or extends) a block.</summary>
    Task BlockAsync(AbuseBlock block, CancellationToken cancellationToken);

    /// <summary>The blocks still in force at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<AbuseBlock>> ActiveAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>When an address earns a block, and for how long.</summary>
public sealed record AbuseRules(int UnauthorizedPerMinute, int NotFoundPerMinute, TimeSpan BlockFor, TimeSpan RefreshEvery)
{
    public static AbuseRules Default { get; } = new(20, 100, TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(10));
}

/// <summary>
/// The abuse list (the seed's ANON_THREAT_KV). Each instance counts 401s and 404s per address in the current UTC minute;
/// an address that reaches a threshold is blocked until <see cref="AbuseRules.BlockFor"/> from then, in the shared table,
/// so every instance refuses it. Each instance reads the whole list of blocks in force (small) at most every
/// <see cref="AbuseRules.RefreshEvery"/>: the check on the request path is a dictionary lookup. If the list cannot be read,
/// the last one read stays in force (a storage outage must not lock everyone out) and the failure is reported.
/// </summary>
public sealed class AbuseList(IAbuseBlockStore store, TimeProvider time, AbuseRules rules) : IDisposable
{
    /// <summary>
    /// At most this many addresses are tallied: past it (a flood of addresses within one minute), new addresses are not
    /// counted until the next minute's sweep; each of them then sends too little to earn a block anyway.
    /// </summary>
    public const int MaxTallies = 100_000;

    private readonly ConcurrentDictionary<string, Tally> _tallies = new(StringComparer.Ordinal);
    private readonly SweepSchedule _sweeps = new(TimeSpan.FromSeconds(10));
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private Dictionary<string, AbuseBlock> _blocks = new(StringComparer.Ordinal);
    private DateTimeOffset? _refreshedAt;

    public AbuseRules Rules => rules;

    /// <summary>The block in force for <paramref name="address"/>, if any; refreshes the shared list when it is due.</summary>
    public async ValueTask<AbuseBlock?> BlockOfAsync(string address, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_refreshedAt is not { } refreshed || now - refreshed >= rules.RefreshEvery)
        {
            await RefreshAsync(now, cancellationToken).ConfigureAwait(false);
        }

        return Volatile.Read(ref _blocks).TryGetValue(address, out var block) && block.Until > now ? block : null;
    }

    /// <summary>Counts an answer to <paramref name="address"/>; returns the block it earned, if this answer earned one.</summary>
    public async ValueTask<AbuseBlock?> RecordAsync(string address, int status, CancellationToken cancellationToken)
    {
        if (status is not (401 or 404))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60;
        if (_sweeps.TryStart(now))
        {
            Sweep(minute);
        }

        if (!_tallies.TryGetValue(address, out var tally))
        {
            if (_tallies.Count >= MaxTallies)
            {
                return null;
            }

            tally = _tallies.GetOrAdd(address, static _ => new Tally());
        }

        string? reason = null;
        lock (tally)
        {
            if (tally.Minute != minute)
            {
                tally.Minute = minute;
                tally.Unauthorized = 0;
                tally.NotFound = 0;
                tally.Blocked = false;
            }

            // At or past a threshold, once per tally minute: concurrent answers cannot skip past an exact count.
            if (status == 401 && ++tally.Unauthorized >= rules.UnauthorizedPerMinute && !tally.Blocked)
            {
                reason = $"{rules.UnauthorizedPerMinute} unauthorized requests in a minute";
                tally.Blocked = true;
            }
            else if (status == 404 && ++tally.NotFound >= rules.NotFoundPerMinute && !tally.Blocked)
            {
                reason = $"{rules.NotFoundPerMinute} not-found answers in a minute";
                tally.Blocked = true;
            }
        }

        if (reason is null)
        {
            return null;
        }

        // Here first, so this instance refuses the address whatever happens to the shared write; the write is not the
        // request's (it must not be cancelled with it), and a failure is reported, never passed to the client.
        var block = new AbuseBlock(address, now + rules.BlockFor, reason);
        Merge([block], now);
        try
        {
            await store.BlockAsync(block, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            BlockFailed?.Invoke(block, e);
        }

        return block;
    }

    /// <summary>Raised when a block could not be written to the shared table (it is in force on this instance only).</summary>
    public event Action<AbuseBlock, Exception>? BlockFailed;

    /// <summary>Raised when the shared list could not be read (the last list read stays in force).</summary>
    public event Action<Exception>? RefreshFailed;

    private async Task RefreshAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_refreshedAt is { } refreshed && now - refreshed < rules.RefreshEvery)
            {
                return; // another request refreshed it while this one waited
            }

            _refreshedAt = now; // also on failure: a failing store is tried once per interval, not on every request
            try
            {
                Merge(await store.ActiveAsync(now, cancellationToken).ConfigureAwait(false), now);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                RefreshFailed?.Invoke(e);
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose() => _refreshing.Dispose();

    /// <summary>
    /// Swaps in the blocks in force: those known here (a block recorded here may not be in the shared table yet, or its
    /// write failed) and <paramref name="blocks"/>, the later of two for one address. Compare-and-swap: a block recorded
    /// while a refresh was reading is never lost.
    /// </summary>
    private void Merge(IEnumerable<AbuseBlock> blocks, DateTimeOffset now)
    {
        var added = blocks.ToList();
        while (true)
        {
            var known = Volatile.Read(ref _blocks);
            var merged = new Dictionary<string, AbuseBlock>(StringComparer.Ordinal);
            foreach (var block in known.Values.Where(b => b.Until > now).Concat(added))
            {
                if (!merged.TryGetValue(block.Address, out var other) || other.Until < block.Until)
                {
                    merged[block.Address] = block;
                }
            }

            if (ReferenceEquals(Interlocked.CompareExchange(ref _blocks, merged, known), known))
            {
                return;
            }
        }
    }

    private void Sweep(long minute)
    {
        foreach (var (address, tally) in _tallies)
        {
            if (tally.Minute != minute)
            {
                _tallies.TryRemove(new KeyValuePair<string, Tally>(address, tally));
            }
        }
    }

    private sealed class Tally
    {
        public long Minute { get; set; }

        public int Unauthorized { get; set; }

        public int NotFound { get; set; }

        /// <summary>This minute's tally already earned its block.</summary>
        public bool Blocked { get; set; }
    }
}
