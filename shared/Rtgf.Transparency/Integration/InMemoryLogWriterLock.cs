using System.Globalization;

namespace Rtgf.Transparency.Integration;

/// <summary>An <see cref="ILogWriterLock"/> in memory with the semantics of a Blob lease (expiry, renewal, lease ids), on a <see cref="TimeProvider"/>.</summary>
public sealed class InMemoryLogWriterLock(TimeProvider time) : ILogWriterLock
{
    private readonly Lock _gate = new();
    private string? _holder;
    private DateTimeOffset _expires;
    private TimeSpan _duration;
    private long _leases;

    public TimeProvider Time => time;

    /// <summary>Leases granted so far (a test reads it to see that writers took turns).</summary>
    public long Granted
    {
        get
        {
            lock (_gate)
            {
                return _leases;
            }
        }
    }

    public ValueTask<string?> TryAcquireAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_holder is not null && now < _expires)
            {
                return ValueTask.FromResult<string?>(null);
            }

            _holder = "lease-" + (++_leases).ToString(CultureInfo.InvariantCulture);
            _duration = duration;
            _expires = now + duration;
            return ValueTask.FromResult<string?>(_holder);
        }
    }

    public ValueTask<bool> TryRenewAsync(string leaseId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!string.Equals(_holder, leaseId, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            _expires = time.GetUtcNow() + _duration;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseAsync(string leaseId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (string.Equals(_holder, leaseId, StringComparison.Ordinal))
            {
                _holder = null;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Ends the current lease at once, as an operator breaking a Blob lease does (its holder finds out at its next renewal).</summary>
    public void Break()
    {
        lock (_gate)
        {
            _holder = null;
        }
    }
}
