namespace Rtgf.Pipeline.Access;

/// <summary>
/// Lets the sweep of a per-instance cache run at most once per interval (the first request past the due time runs it;
/// the others go on), so a large cache costs one scan per interval, never one per request.
/// </summary>
internal sealed class SweepSchedule(TimeSpan every)
{
    private long _dueTicks;

    public bool TryStart(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _dueTicks);
        return now.UtcTicks >= due && Interlocked.CompareExchange(ref _dueTicks, now.UtcTicks + every.Ticks, due) == due;
    }
}
