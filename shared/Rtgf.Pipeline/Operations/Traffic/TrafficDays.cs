using System.Globalization;

namespace Rtgf.Pipeline.Operations.Traffic;

/// <summary>The traffic log's day and hour keys (UTC): <c>yyyyMMdd</c> sorts as the days do, so old days are a key range.</summary>
public static class TrafficDays
{
    public const string DayFormat = "yyyyMMdd";

    /// <summary>The format <c>/ops/traffic</c> takes and answers (<c>from</c>, <c>to</c>, <c>day</c>).</summary>
    public const string IsoDayFormat = "yyyy-MM-dd";

    public static string Day(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset at) => Day(DateOnly.FromDateTime(at.UtcDateTime));

    public static DateOnly Today(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
    }

    public static DateOnly ParseDay(string day) => DateOnly.ParseExact(day, DayFormat, CultureInfo.InvariantCulture);

    public static string Iso(DateOnly day) => day.ToString(IsoDayFormat, CultureInfo.InvariantCulture);

    public static string StatusClass(int status) => status is >= 100 and <= 599
        ? (status / 100).ToString(CultureInfo.InvariantCulture) + "xx"
        : "5xx";

    /// <summary>
    /// The oldest day <c>Traffic:RetentionDays</c> = <paramref name="retentionDays"/> keeps: today and the
    /// <paramref name="retentionDays"/> − 1 days before it.
    /// </summary>
    public static DateOnly OldestKept(DateOnly today, int retentionDays) => today.AddDays(-(retentionDays - 1));
}
