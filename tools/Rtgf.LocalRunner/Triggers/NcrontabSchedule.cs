using NCrontab;

namespace Rtgf.LocalRunner.Triggers;

/// <summary>An NCRONTAB schedule in UTC: six fields with seconds (the Functions form) or the classic five.</summary>
internal sealed class NcrontabSchedule
{
    private readonly CrontabSchedule _schedule;

    private NcrontabSchedule(string expression, CrontabSchedule schedule)
    {
        Expression = expression;
        _schedule = schedule;
    }

    public string Expression { get; }

    public static NcrontabSchedule Parse(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var schedule = fields switch
        {
            6 => CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true }),
            5 => CrontabSchedule.TryParse(expression),
            _ => null,
        };
        return schedule is null
            ? throw new RunnerException($"'{expression}' is not an NCRONTAB schedule ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}).")
            : new NcrontabSchedule(expression, schedule);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        var next = _schedule.GetNextOccurrence(after.UtcDateTime);
        return new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc));
    }
}
