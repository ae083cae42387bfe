using System.Collections.Concurrent;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Waitlist;

namespace Rtgf.Functions.Waitlist;

/// <summary>
/// The sign-up limits, each in a UTC clock hour, shared by every instance: per client address, per mailbox
/// (<see cref="WaitlistAddress.Mailbox"/>: <c>+tag</c>s and Gmail dots folded, so variants of one address share a limit),
/// per domain and in all (the last two bound the waitlist email a flood can cause to one provider and in total). They use
/// the API's usage counter rows (<see cref="IUsageCounterStore"/> on the <c>apiusage</c> table, compare-and-swap adds).
/// Every sign-up that might be allowed adds one and is allowed only if the shared total stays within the limit, so across
/// instances the limit is exact. Each instance takes one counter's adds one at a time and remembers a total that reached
/// the limit, so a flood is refused locally, without a storage write, once one refusal was seen. Not
/// <see cref="SharedUsageCounters"/>: its batches suit per-minute API rates, and at a limit of a few, concurrent requests
/// on one instance count one another's in-flight batch twice and can all be refused. The hour's row is keyed as the minute
/// row of its first minute (<c>m yyyyMMddHH00</c>), so the <c>access-cleanup</c> timer deletes it with the minute rows. The
/// partition keys are HMACs under the id key (<see cref="WaitlistIds.CounterKey"/>): a client address (an IPv6 /64 has a
/// '/') or an email address never becomes a table key, and a key cannot be reversed by hashing guesses.
/// </summary>
public sealed class WaitlistLimits(IUsageCounterStore store, TimeProvider time, WaitlistSettings settings)
{
    /// <summary>Past this many counters in an hour, the local memory is dropped (the shared rows stay the truth).</summary>
    private const int MaxCounters = 100_000;

    private Hour _hour = new(string.Empty);

    /// <summary>
    /// Takes one sign-up of normalised <paramref name="address"/> from the client address's hour, then the mailbox's, the
    /// domain's and the global one; null when all allow it, else how long until the hour ends. A take refused by a later
    /// limit still counts for the earlier ones. Needs <see cref="WaitlistSettings.Ids"/>.
    /// </summary>
    public async ValueTask<TimeSpan?> TryTakeAsync(string clientAddress, string address, CancellationToken cancellationToken)
    {
        var ids = settings.Ids ?? throw new InvalidOperationException("The waitlist limits need the id key: " + settings.Problem);
        var caps = settings.Caps;
        var now = time.GetUtcNow();
        var utc = now.UtcDateTime;
        var hour = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
        var window = UsageWindows.Minute(hour);
        var retryAfter = hour.AddHours(1) - now;
        return await TryTakeAsync("waitlist-ip-" + ids.CounterKey("ip", clientAddress), window, caps.PerIp, cancellationToken).ConfigureAwait(false)
            && await TryTakeAsync("waitlist-mailbox-" + ids.CounterKey("mailbox", WaitlistAddress.Mailbox(address)), window, caps.PerAddress, cancellationToken).ConfigureAwait(false)
            && await TryTakeAsync("waitlist-domain-" + ids.CounterKey("domain", WaitlistAddress.Domain(address)), window, caps.PerDomain, cancellationToken).ConfigureAwait(false)
            && await TryTakeAsync("waitlist-all", window, caps.Global, cancellationToken).ConfigureAwait(false)
            ? null
            : retryAfter;
    }

    private async ValueTask<bool> TryTakeAsync(string key, string window, int limit, CancellationToken cancellationToken)
    {
        var hour = Volatile.Read(ref _hour);
        if (!hour.Window.Equals(window, StringComparison.Ordinal) || hour.Counters.Count > MaxCounters)
        {
            // A new hour (or too many addresses): the last memory is of no use. A race here only loses memory, never counts.
            Interlocked.CompareExchange(ref _hour, new Hour(window), hour);
            hour = Volatile.Read(ref _hour);
        }

        // At an hour's turn two windows can race for the memory: the loser counts without it (storage decides alone).
        var counter = hour.Window.Equals(window, StringComparison.Ordinal) ? hour.Counters.GetOrAdd(key, static _ => new Counter()) : new Counter();
        if (counter.Total >= limit)
        {
            return false;
        }

        await counter.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (counter.Total >= limit)
            {
                return false;
            }

            var total = await store.AddAsync(key, window, 1, cancellationToken).ConfigureAwait(false);
            counter.Total = total;
            return total <= limit;
        }
        finally
        {
            counter.Gate.Release();
        }
    }

    /// <summary>This instance's counters of one hour's window, by partition key.</summary>
    private sealed record Hour(string Window)
    {
        public ConcurrentDictionary<string, Counter> Counters { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Counter
    {
        private long _total;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>The last shared total this instance saw (read without the gate by the fast refusal).</summary>
        public long Total
        {
            get => Interlocked.Read(ref _total);
            set => Interlocked.Exchange(ref _total, value);
        }
    }
}
