using System.Globalization;
using NCrontab;

namespace Rtgf.Pipeline.Scheduling;

/// <summary>
/// A timer trigger's schedule read as the Functions host reads it (the WebJobs timer extension): an NCRONTAB expression
/// parsed by NCrontab — six fields with seconds, or the classic five — else a TimeSpan (<c>hh:mm:ss</c>) for a constant
/// interval. Evaluated in UTC: the host's default; <c>WEBSITE_TIME_ZONE</c> is not read. The one parser for the app's
/// sync watchtower and the local runner's timers.
/// </summary>
public sealed class TimerSchedule
{
    /// <summary>The forms the host accepts, for error messages.</summary>
    public const string Forms = "NCRONTAB '{second} {minute} {hour} {day} {month} {day-of-week}' (or the classic five fields) or a TimeSpan 'hh:mm:ss'";

    // 2001-2028: the Gregorian calendar's weekdays repeat every 28 years between 1901 and 2099 (10227 days, 1461 weeks),
    // so a cron schedule's firing days in this cycle, wrapped around, give every gap it will ever have there.
    private static readonly DateTime CycleStart = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Cycle = CycleStart.AddYears(28) - CycleStart;

    private readonly CrontabSchedule? _cron;

    private TimerSchedule(string expression, CrontabSchedule? cron, TimeSpan interval)
    {
        Expression = expression;
        _cron = cron;
        Interval = interval;
    }

    public string Expression { get; }

    /// <summary>The longest gap between consecutive occurrences (a TimeSpan schedule: the span itself).</summary>
    public TimeSpan Interval { get; }

    /// <summary>
    /// Parses <paramref name="expression"/> as the host does. A schedule the host would refuse, one that never fires,
    /// or a TimeSpan that is not positive is a <see cref="FormatException"/> whose one-line message names
    /// <paramref name="setting"/> (the app setting it came from, when there is one) and the schedule.
    /// </summary>
    public static TimerSchedule Parse(string expression, string? setting = null)
    {
        ArgumentNullException.ThrowIfNull(expression);

        // As the host: five space-separated fields are classic cron, any other count is tried with seconds.
        var options = new CrontabSchedule.ParseOptions { IncludingSeconds = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5 };
        var cron = CrontabSchedule.TryParse(expression, options, static s => s, static error => (CrontabSchedule?)null);
        if (cron is not null)
        {
            return new TimerSchedule(expression, cron, LongestGap(cron) ?? throw Refused(expression, setting, "it never fires"));
        }

        if (TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var span))
        {
            return span > TimeSpan.Zero
                ? new TimerSchedule(expression, null, span)
                : throw Refused(expression, setting, "a TimeSpan schedule must be positive");
        }

        var reason = CrontabSchedule.TryParse(expression, options, static _ => string.Empty, static error => Reason(error()));
        throw Refused(expression, setting, reason);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC.</summary>
    public DateTimeOffset Next(DateTimeOffset after) =>
        _cron is null
            ? (after + Interval).ToUniversalTime()
            : new DateTimeOffset(DateTime.SpecifyKind(_cron.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));

    /// <summary>
    /// The longest gap over the calendar cycle, or null when the schedule never fires. Cron times of day are the same on
    /// every firing day (UTC has no daylight saving), so the longest gap is either within a day or from one firing day's
    /// last time to the next firing day's first.
    /// </summary>
    private static TimeSpan? LongestGap(CrontabSchedule cron)
    {
        var end = CycleStart + Cycle;
        var first = cron.GetNextOccurrence(CycleStart.AddSeconds(-1), end); // strictly after its base: from CycleStart on
        if (first >= end)
        {
            return null;
        }

        var firstDay = first.Date;
        var longest = TimeSpan.Zero;
        var last = first;
        foreach (var at in cron.GetNextOccurrences(first, firstDay.AddDays(1)))
        {
            longest = Max(longest, at - last);
            last = at;
        }

        var timesSpan = last - first;
        var day = firstDay;
        for (var next = cron.GetNextOccurrence(day.AddDays(1).AddSeconds(-1), end); next < end; next = cron.GetNextOccurrence(day.AddDays(1).AddSeconds(-1), end))
        {
            longest = Max(longest, next.Date - day - timesSpan);
            day = next.Date;
        }

        // Wrapped around: the cycle repeats, so the first firing day comes again one cycle later.
        return Max(longest, firstDay + Cycle - day - timesSpan);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Reason(Exception error) =>
        error.InnerException is { } inner ? $"{error.Message} {inner.Message}" : error.Message;

    private static FormatException Refused(string expression, string? setting, string reason) =>
        new($"{(setting is null ? string.Empty : setting + ": ")}'{expression}' is not a valid timer schedule: {reason.TrimEnd('.')}. Give {Forms}.");
}
