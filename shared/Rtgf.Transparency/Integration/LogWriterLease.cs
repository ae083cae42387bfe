namespace Rtgf.Transparency.Integration;

/// <summary>
/// A held <see cref="ILogWriterLock"/> lease. The integrator calls <see cref="EnsureHeldAsync"/> before every write: past half its
/// duration the lease is renewed, and a lost lease stops the writer before it writes again. Time is measured from when the acquire
/// or renew request was sent, so the holder's view never outlasts the server's. Safety does not rest on timing alone: a write still
/// in flight when the lease is lost is fenced by the integrator's conditional writes (docs/spec/log-format.md, "Writers").
/// </summary>
public sealed class LogWriterLease : IAsyncDisposable
{
    /// <summary>The longest finite Blob lease (15 to 60 s); renewed at half.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(60);

    private readonly ILogWriterLock? _lock;
    private readonly TimeProvider? _time;
    private readonly string _id;
    private long _confirmedAt;
    private bool _lost;
    private bool _released;

    private LogWriterLease(ILogWriterLock? writerLock, TimeProvider? time, string id, TimeSpan duration, long confirmedAt)
    {
        _lock = writerLock;
        _time = time;
        _id = id;
        Duration = duration;
        _confirmedAt = confirmedAt;
    }

    /// <summary>
    /// The lease of a log that has exactly one writer (a tool, a test, a benchmark): nothing to renew. Every writer that may run
    /// beside another must hold a lease from a shared <see cref="ILogWriterLock"/>.
    /// </summary>
    public static LogWriterLease SoleWriter { get; } = new(null, null, "sole-writer", TimeSpan.MaxValue, 0);

    public TimeSpan Duration { get; }

    /// <summary>Takes the lease, or null when another writer holds it.</summary>
    public static async Task<LogWriterLease?> TryAcquireAsync(ILogWriterLock writerLock, TimeSpan? duration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writerLock);
        var time = writerLock.Time;
        var length = duration ?? DefaultDuration;
        var sent = time.GetTimestamp();
        var id = await writerLock.TryAcquireAsync(length, cancellationToken).ConfigureAwait(false);
        return id is null ? null : new LogWriterLease(writerLock, time, id, length, sent);
    }

    /// <summary>
    /// Takes the lease, waiting while another writer holds it (polling with backoff up to <paramref name="patience"/>; integrations
    /// are short, so a holder usually lets go within a second).
    /// </summary>
    /// <exception cref="LogBusyException">The lease was still held when <paramref name="patience"/> ran out.</exception>
    public static async Task<LogWriterLease> AcquireAsync(
        ILogWriterLock writerLock, TimeSpan patience, TimeSpan? duration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writerLock);
        var time = writerLock.Time;
        var start = time.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
#pragma warning disable CA2000 // Ownership passes to the caller, who disposes (releases) it.
            if (await TryAcquireAsync(writerLock, duration, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                return lease;
            }
#pragma warning restore CA2000

            if (time.GetElapsedTime(start) >= patience)
            {
                throw new LogBusyException($"Another writer held the log's lease for more than {patience.TotalSeconds:0.#} s; nothing was written.");
            }

            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }

    /// <summary>Returns when the lease is held for at least half its duration more (renewing it if due); throws once it is lost.</summary>
    /// <exception cref="LogLeaseLostException">The lease is lost: write nothing more under it.</exception>
    public async ValueTask EnsureHeldAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_released, this);
        if (_lost)
        {
            throw new LogLeaseLostException("The log's lease was lost earlier; nothing more is written under it.");
        }

        if (_lock is null || _time is null || _time.GetElapsedTime(_confirmedAt) < Duration / 2)
        {
            return;
        }

        var sent = _time.GetTimestamp();
        if (!await _lock.TryRenewAsync(_id, cancellationToken).ConfigureAwait(false))
        {
            _lost = true;
            throw new LogLeaseLostException(
                $"The log's lease expired after {_time.GetElapsedTime(_confirmedAt).TotalSeconds:0.#} s and was taken or broken; this writer stopped before its next write.");
        }

        _confirmedAt = sent;
    }

    public async ValueTask DisposeAsync()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        if (_lock is not null && !_lost)
        {
            // Not cancellable: a lease left behind only delays the next writer until it expires.
            await _lock.ReleaseAsync(_id, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
