namespace Rtgf.Testing;

/// <summary>
/// A clock that moves only when told (the feed lacks Microsoft.Extensions.TimeProvider.Testing).
/// Timers and delays created from it fire as <see cref="Advance"/> passes their due times.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private readonly object _gate = new();
    private DateTimeOffset _now = start;
    private long _timestamp;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Timers (and delays) waiting to fire: lets a test advance only once the code under test is waiting.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    /// <summary>
    /// Pending timers that are waits (delays, scheduled callbacks) rather than deadlines. A timer a
    /// <see cref="CancellationTokenSource"/> owns is a timeout guarding work still in progress (a request in flight); the code
    /// under test is not waiting on it, so a driver that advances through it would time that work out by construction.
    /// </summary>
    public int PendingWaits
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => !t.IsTimeout);
            }
        }
    }

    /// <summary>When the earliest pending wait falls due (see <see cref="PendingWaits"/>), or null when none is pending.</summary>
    public DateTimeOffset? NextWaitDue
    {
        get
        {
            lock (_gate)
            {
                return _timers.Where(t => !t.IsTimeout).Select(t => (DateTimeOffset?)t.DueAt).Min();
            }
        }
    }

    /// <summary>When the earliest pending timer (wait or timeout) falls due, or null when none is pending.</summary>
    public DateTimeOffset? NextTimerDue
    {
        get
        {
            lock (_gate)
            {
                return _timers.Select(t => (DateTimeOffset?)t.DueAt).Min();
            }
        }
    }

    /// <summary>Moves the clock to <paramref name="due"/> (if it is ahead), firing every timer due by then, in order.</summary>
    public void AdvanceTo(DateTimeOffset due)
    {
        var delta = due - GetUtcNow();
        if (delta > TimeSpan.Zero)
        {
            Advance(delta);
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _timestamp;
        }
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + delta;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.DueAt <= target).OrderBy(t => t.DueAt).FirstOrDefault();
                var moveTo = next?.DueAt ?? target;
                if (moveTo > _now)
                {
                    _timestamp += (moveTo - _now).Ticks;
                    _now = moveTo;
                }
            }

            if (next is null)
            {
                return;
            }

            next.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state) { IsTimeout = state is CancellationTokenSource };
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period;

        public DateTimeOffset DueAt { get; private set; }

        /// <summary>The timer of a <see cref="CancellationTokenSource"/> (a deadline), not a wait.</summary>
        public bool IsTimeout { get; init; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                _period = period;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = owner._now + dueTime;
                    owner._timers.Add(this);
                }
            }

            return true;
        }

        public void Fire()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
                {
                    DueAt += _period;
                    owner._timers.Add(this);
                }
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
