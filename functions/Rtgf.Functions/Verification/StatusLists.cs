using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Rtgf.Core.Encoding;
using Rtgf.Core.Telemetry;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Verification;

/// <summary>
/// Decoded status lists and the current revocation epoch, each re-read after <see cref="MaxAge"/> (the same staleness a
/// client caching the status-list token for its max-age accepts), and at once when a verified token carries a newer epoch
/// than the one held: a token is never checked against a list older than its own epoch when the store has the newer one.
/// Reads of each value are shared by concurrent callers and start at most once per <see cref="MinRefreshInterval"/>; a
/// caller waits at most <see cref="MaxWait"/> (then <see cref="TimeoutException"/>). A list is decoded again only when its
/// ETag changes. A missing list is remembered for <see cref="MaxAge"/> too (with the epoch held when it was looked up, so
/// a token from a later epoch looks again at once); only ids from tokens our keys signed reach here, so the entries stay few.
/// </summary>
public sealed class StatusLists
{
    internal static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    private readonly IRevocationReader _revocations;
    private readonly TimeProvider _time;
    private readonly CoalescedReader<long> _epoch;
    private readonly ConcurrentDictionary<string, CoalescedReader<ListRead>> _lists = new(StringComparer.Ordinal);

    private long _newestEpochSeen;

    /// <summary>
    /// <paramref name="meters"/> (the host's, so the gauges go with the host) carries the observable revocation gauges;
    /// without it they are on <see cref="RtgfTelemetry.Meter"/>.
    /// </summary>
    public StatusLists(IRevocationReader revocations, TimeProvider time, IMeterFactory? meters = null)
    {
        _revocations = revocations;
        _time = time;
        _epoch = new CoalescedReader<long>(c => revocations.GetEpochAsync(c), MinRefreshInterval, MaxWait, time);
#pragma warning disable CA2000 // the factory owns the meters it creates and disposes them with the host
        var meter = meters?.Create(RtgfTelemetry.Name) ?? RtgfTelemetry.Meter;
#pragma warning restore CA2000
        // Observed at collection, not when a request reads: staleness keeps growing while reads fail (the P1 alert), and
        // drift is not overwritten by the next request's 0.
        meter.CreateObservableGauge(RtgfMetrics.RevocationStaleness, ObserveStaleness, "s", RtgfMetrics.RevocationStalenessDescription);
        meter.CreateObservableGauge(RtgfMetrics.RevocationEpochDrift, ObserveEpochDrift, "{epoch}", RtgfMetrics.RevocationEpochDriftDescription);
    }

    /// <summary>Seconds since the last successful epoch read started (none before the first read).</summary>
    private IEnumerable<Measurement<double>> ObserveStaleness() =>
        _epoch.Latest is { } latest ? [new Measurement<double>(Math.Max(0, (_time.GetUtcNow() - latest.StartedAt).TotalSeconds))] : [];

    /// <summary>The newest epoch this instance learned of (a read or a token's own epoch) minus the epoch it serves.</summary>
    private IEnumerable<Measurement<long>> ObserveEpochDrift() =>
        _epoch.Latest is { } latest ? [new Measurement<long>(Math.Max(0, Interlocked.Read(ref _newestEpochSeen) - latest.Value))] : [];

    internal ValueTask<long> GetEpochAsync(CancellationToken cancellationToken) => GetEpochAsync(0, cancellationToken);

    /// <summary>The current epoch; read again (a read started after this call) when the one held is below <paramref name="atLeast"/>.</summary>
    internal async ValueTask<long> GetEpochAsync(long atLeast, CancellationToken cancellationToken)
    {
        Seen(atLeast);
        var epoch = await GetAsync(_epoch, epoch => epoch < atLeast, "epoch", cancellationToken).ConfigureAwait(false);
        Seen(epoch);
        return epoch;
    }

    private void Seen(long epoch)
    {
        var seen = Interlocked.Read(ref _newestEpochSeen);
        while (epoch > seen)
        {
            var was = Interlocked.CompareExchange(ref _newestEpochSeen, epoch, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }

    /// <summary>
    /// The list with its decoded statuses, or null when no list has that id; read again (a read started after this call)
    /// when the one held was signed before <paramref name="atLeastEpoch"/>.
    /// </summary>
    internal async ValueTask<DecodedStatusList?> GetAsync(string listId, long atLeastEpoch, CancellationToken cancellationToken)
    {
        var reader = _lists.GetOrAdd(
            listId, static (id, self) => new CoalescedReader<ListRead>(c => self.ReadListAsync(id, c), MinRefreshInterval, MaxWait, self._time), this);
        var read = await GetAsync(reader, held => (held.List?.Document.Epoch ?? held.KnownEpoch) < atLeastEpoch, "status_list", cancellationToken).ConfigureAwait(false);
        return read.List;
    }

    private async ValueTask<TValue> GetAsync<TValue>(CoalescedReader<TValue> reader, Func<TValue, bool> olderThanWanted, string cache, CancellationToken cancellationToken)
    {
        var mark = reader.Mark;
        var latest = reader.Latest;
        long after;
        if (latest is null)
        {
            after = 0; // the first read, or the one running
        }
        else if (_time.GetUtcNow() - latest.StartedAt >= MaxAge)
        {
            after = latest.Id; // any newer read
        }
        else if (olderThanWanted(latest.Value))
        {
            after = mark; // a read started after this call
        }
        else
        {
            RtgfMetrics.TokenCacheLookupCount.Add(1, new KeyValuePair<string, object?>("hit", true), new KeyValuePair<string, object?>("cache", cache));
            return latest.Value;
        }

        RtgfMetrics.TokenCacheLookupCount.Add(1, new KeyValuePair<string, object?>("hit", false), new KeyValuePair<string, object?>("cache", cache));
        return (await reader.ReadAfterAsync(after, cancellationToken).ConfigureAwait(false)).Value;
    }

    private async Task<ListRead> ReadListAsync(string listId, CancellationToken cancellationToken)
    {
        // The store's epoch was at least this before the read started: a list of that epoch or earlier would have been found.
        var knownEpoch = _epoch.Latest?.Value ?? 0;
        var document = await _revocations.GetStatusListAsync(listId, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return new ListRead(null, knownEpoch);
        }

        return new ListRead(
            _lists.TryGetValue(listId, out var reader) && reader.Latest?.Value.List is { } previous &&
            string.Equals(previous.Document.ETag, document.ETag, StringComparison.Ordinal)
                ? previous
                : Decode(document),
            knownEpoch);
    }

    /// <summary>Reads <c>status_list.bits</c> and <c>status_list.lst</c> from the status-list token's payload.</summary>
    internal static DecodedStatusList Decode(StatusListDocument document)
    {
        try
        {
            var parts = document.Jwt.Split('.');
            if (parts.Length != 3)
            {
                throw new FormatException("the status list token is not a compact JWS");
            }

            using var payload = JsonDocument.Parse(Base64UrlStrict.Decode(parts[1], "The status list token payload"));
            var statusList = payload.RootElement.GetProperty("status_list");
            var bits = statusList.GetProperty("bits").GetInt32();
            var lst = statusList.GetProperty("lst").GetString() ?? throw new FormatException("'lst' is null");
            return new DecodedStatusList(document, StatusList.Decode(lst, bits), null);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new DecodedStatusList(document, null, $"The status list '{document.ListId}' cannot be read: {ex.Message}");
        }
    }

}

/// <summary>One read of a list id: the list, or null when none was published, and the epoch the verifier held when it read.</summary>
internal sealed record ListRead(DecodedStatusList? List, long KnownEpoch);

/// <summary>A status list document with its statuses (or why they could not be read).</summary>
internal sealed record DecodedStatusList(StatusListDocument Document, StatusList? Statuses, string? Problem);
