using System.Collections.Concurrent;
using System.Globalization;

namespace Rtgf.Pipeline.Access;

/// <summary>Shared request counters, one per key per window (table <c>apiusage</c>).</summary>
public interface IUsageCounterStore
{
    /// <summary>Adds <paramref name="delta"/> to the window's count (created at zero if absent) and returns the new total.</summary>
    Task<long> AddAsync(string key, string window, long delta, CancellationToken cancellationToken);
}

/// <summary>The UTC windows counters are kept in: one a minute and one a calendar month.</summary>
public static class UsageWindows
{
    public static string Minute(DateTimeOffset now) => "m" + now.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    public static string Month(DateTimeOffset now) => "M" + now.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture);

    public static DateTimeOffset MinuteEnd(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero).AddMinutes(1);
    }

    public static DateTimeOffset MonthStart(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public static DateTimeOffset MonthEnd(DateTimeOffset now) => MonthStart(now).AddMonths(1);
}

/// <summary>The outcome of taking one request from a shared window: whether it fits, and the count it was judged by.</summary>
public readonly record struct UsageTake(bool Allowed, long Used);

/// <summary>
/// Per-instance views of the shared counters. Each instance counts its requests locally and adds them to the shared row
/// in batches (compare-and-swap on the row's ETag), reading the shared total back on each flush; a request is refused when
/// the known shared total plus this instance's requests not yet known to be in it (being written, or unwritten) reaches
/// the limit. A flush happens when a batch is full (<see cref="Batch"/>: 1/20 of the limit, 1 to 50 requests, and at most
/// a tenth of the headroom last read), when the last one is older than the flush interval, or on every request once the
/// count is within a batch of the limit, so near the limit the count is exact and far from it storage sees one write per
/// batch. Far from the limit a flush runs in the background (the request does not wait for storage); within a batch of
/// the limit, and for limits under 40 (a batch of one), the request waits for the write that carries it (one write at a
/// time per window carries every request waiting then) and is served only if its own place in the shared count, as that
/// write showed it, is within the limit. The bound on overshoot across instances is each other instance's unflushed
/// batch (docs/spec/api-keys.md).
/// </summary>
public sealed class SharedUsageCounters(IUsageCounterStore store, TimeProvider time, TimeSpan flushInterval)
{
    /// <summary>A counter of the current window unused this long is dropped (after its pending requests are written).</summary>
    private static readonly TimeSpan IdleFor = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<(string Key, string Window), Counter> _counters = new();
    private readonly SweepSchedule _sweeps = new(TimeSpan.FromSeconds(30));

    /// <summary>How many windows this instance holds (tests).</summary>
    public int Count => _counters.Count;

    /// <summary>Takes one request from <paramref name="key"/>'s <paramref name="window"/> if it fits under <paramref name="limit"/>.</summary>
    public async ValueTask<UsageTake> TryTakeAsync(string key, string window, long limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_sweeps.TryStart(now))
        {
            Sweep(now);
        }

        // Created as used now: a sweep between this and the lock below does not take it for idle.
        var counter = _counters.GetOrAdd((key, window), static (_, now) => new Counter { LastUsed = now }, now);

        long batch;
        bool flush;
        bool neverFlushed;
        long used;
        long place;
        Carrier carrier;
        lock (counter)
        {
            neverFlushed = counter.LastFlush is null;
            counter.LastUsed = now;
            batch = Batch(limit, counter.Known);
            // The requests being written count too: until the write returns they are in neither Known nor Pending.
            used = counter.Known + counter.InFlight + counter.Pending;
            if (used >= limit)
            {
                return new UsageTake(false, used);
            }

            counter.Pending++;
            used++;
            place = counter.Pending;
            carrier = counter.Open;
            flush = counter.Pending >= batch || counter.LastFlush is not { } last || now - last >= flushInterval || used + batch > limit;
        }

        if (!flush)
        {
            return new UsageTake(true, used);
        }

        // A window this instance never read (a cold instance) waits for the shared total: its local count says nothing yet,
        // and an exhausted quota must not let a batch through on every new instance.
        if (batch > 1 && used + batch <= limit && !neverFlushed)
        {
            // Far from the limit: the request goes on while the batch is written (one flush at a time per window).
            if (counter.Flushing.CurrentCount > 0)
            {
                _ = FlushInBackgroundAsync(key, window, counter);
            }

            return new UsageTake(true, used);
        }

        // The request is judged by its own place in the shared count: the row's total before the write that carried it,
        // plus its place among the requests that write carried. Judged by the total after the write (and the requests
        // counted since), the first requests would be refused for the ones that came after them.
        var before = await WrittenAsync(key, window, counter, carrier, cancellationToken).ConfigureAwait(false);
        var position = before + carrier.Ahead + place;
        long known;
        lock (counter)
        {
            known = counter.Known + counter.InFlight + counter.Pending;
        }

        // Past the limit (other instances got there first): refused, and it stays counted (docs/spec/api-keys.md).
        return new UsageTake(position <= limit, Math.Max(position, known));
    }

    /// <summary>
    /// How many requests an instance may count before it writes: 1/20 of the limit (1 to 50), and at most a tenth of the
    /// headroom the last read of the shared total showed. Each other instance's unwritten batch is what the window can be
    /// overshot by, so as the instances together fill the window (each read shows it), every instance's batch shrinks with
    /// the headroom instead of staying at 1/20 of the limit until its own count is within a batch of it.
    /// </summary>
    public static long Batch(long limit, long known) => Math.Clamp(Math.Min(limit / 20, (limit - known) / 10), 1, 50);

    /// <summary>The count this instance knows for a window (shared total at the last flush plus requests being written or unwritten).</summary>
    public long Known(string key, string window)
    {
        if (!_counters.TryGetValue((key, window), out var counter))
        {
            return 0;
        }

        lock (counter)
        {
            return counter.Known + counter.InFlight + counter.Pending;
        }
    }

    /// <summary>
    /// Gives back one request taken from a window (refused afterwards for another reason): it comes off the unflushed count,
    /// or, if it was already written, goes as -1 with the next write. A window this instance no longer holds is left alone.
    /// </summary>
    public void GiveBack(string key, string window)
    {
        if (_counters.TryGetValue((key, window), out var counter))
        {
            lock (counter)
            {
                counter.Pending--;
            }
        }
    }

    /// <summary>Raised when a background flush fails (its requests stay pending and go with the next flush).</summary>
    public event Action<Exception>? FlushFailed;

    private async Task FlushInBackgroundAsync(string key, string window, Counter counter)
    {
        try
        {
            await FlushAsync(key, window, counter, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            FlushFailed?.Invoke(e);
        }
    }

    /// <summary>
    /// Waits until a write has carried <paramref name="carrier"/>'s requests (writing it if no write is under way) and returns
    /// the row's total before that write. A request whose write failed waits for the next one; the one that made the
    /// failed write gets its error.
    /// </summary>
    private async Task<long> WrittenAsync(string key, string window, Counter counter, Carrier carrier, CancellationToken cancellationToken)
    {
        while (!carrier.Written.Task.IsCompleted)
        {
            await counter.Flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Carriers are written and completed only under Flushing: one not completed now is still waiting for a write.
                if (!carrier.Written.Task.IsCompleted)
                {
                    await FlushLockedAsync(key, window, counter, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                counter.Flushing.Release();
            }
        }

        return await carrier.Written.Task.ConfigureAwait(false);
    }

    private async Task FlushAsync(string key, string window, Counter counter, CancellationToken cancellationToken)
    {
        await counter.Flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FlushLockedAsync(key, window, counter, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            counter.Flushing.Release();
        }
    }

    /// <summary>
    /// Writes every unwritten request (under <see cref="Counter.Flushing"/>). While the write is in flight its requests are
    /// <see cref="Counter.InFlight"/>, so requests arriving meanwhile still see them; a failed write puts them back ahead
    /// of those.
    /// </summary>
    private async Task FlushLockedAsync(string key, string window, Counter counter, CancellationToken cancellationToken)
    {
        long delta;
        List<Carrier> carried;
        lock (counter)
        {
            delta = counter.Pending;
            counter.InFlight = delta;
            counter.Pending = 0;
            carried = counter.Unwritten;
            carried.Add(counter.Open);
            counter.Unwritten = [];
            counter.Open = new Carrier();
        }

        long total;
        try
        {
            total = await store.AddAsync(key, window, delta, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (counter)
            {
                // The requests of the failed write go with the next one, ahead of those counted meanwhile (whose places
                // were counted from the start of the failed write's: they move behind it). Requests counted from now on
                // are placed after both, as Pending now says.
                counter.InFlight = 0;
                counter.Pending += delta;
                counter.Open.Ahead += delta;
                carried.Add(counter.Open);
                counter.Open = new Carrier();
                counter.Unwritten = carried;
            }

            throw;
        }

        lock (counter)
        {
            counter.Known = total;
            counter.InFlight = 0;
            counter.LastFlush = time.GetUtcNow();
        }

        foreach (var carrier in carried)
        {
            carrier.Written.TrySetResult(total - delta);
        }
    }

    /// <summary>
    /// Drops every counter whose window is over (windows are <see cref="UsageWindows"/>' minute and month). Requests still
    /// pending in a past window are dropped, not written: no limit reads a past window again, so writing them would only
    /// cost a storage call per key to correct a row nobody consults (the `access-cleanup` timer deletes minute rows after two hours). A counter of
    /// the current window idle for <see cref="IdleFor"/> is dropped once it has nothing pending; if it has, it is written
    /// in the background first (the month's count matters) and dropped by a later sweep.
    /// </summary>
    private void Sweep(DateTimeOffset now)
    {
        var minute = UsageWindows.Minute(now);
        var month = UsageWindows.Month(now);
        foreach (var (id, counter) in _counters)
        {
            long pending;
            bool idle;
            lock (counter)
            {
                pending = counter.Pending + counter.InFlight;
                idle = now - counter.LastUsed > IdleFor;
            }

            var current = string.Equals(id.Window, minute, StringComparison.Ordinal) || string.Equals(id.Window, month, StringComparison.Ordinal);
            if (!current || (idle && pending == 0))
            {
                _counters.TryRemove(new KeyValuePair<(string, string), Counter>(id, counter));
            }
            else if (idle && counter.Flushing.CurrentCount > 0)
            {
                _ = FlushInBackgroundAsync(id.Key, id.Window, counter);
            }
        }
    }

    private sealed class Counter
    {
        public SemaphoreSlim Flushing { get; } = new(1, 1);

        public long Known { get; set; }

        /// <summary>Requests counted here and not yet written (negative after a give-back of written requests).</summary>
        public long Pending { get; set; }

        /// <summary>Requests of the write in flight: in the row once it returns, in no other count meanwhile.</summary>
        public long InFlight { get; set; }

        /// <summary>The waiting requests the next write carries (counted since the last write began).</summary>
        public Carrier Open { get; set; } = new();

        /// <summary>Carriers whose write failed: the next write carries them too, ahead of <see cref="Open"/>.</summary>
        public List<Carrier> Unwritten { get; set; } = [];

        public DateTimeOffset? LastFlush { get; set; }

        public DateTimeOffset LastUsed { get; set; }
    }

    /// <summary>
    /// The requests counted between two writes. A waiting request knows its place among them (<see cref="Counter.Pending"/>
    /// just after it was counted); the write that carries them gives the row's total before it, so the request's place in
    /// the shared count is that total + <see cref="Ahead"/> + its place.
    /// </summary>
    private sealed class Carrier
    {
        public TaskCompletionSource<long> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Requests of a failed write put back ahead of this carrier's, which were placed from after them.</summary>
        public long Ahead { get; set; }
    }
}
