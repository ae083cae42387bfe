using System.Globalization;
using Rtgf.Pipeline.Scheduling;

namespace Rtgf.Pipeline.Tests.Scheduling;

/// <summary>
/// Schedules as the Functions host reads them. Expected values are worked out by hand from the calendar
/// (2026-11-22 is a Sunday, 2027-01-01 a Friday, 2027-03-31 a Wednesday, 2028-01-01 a Saturday).
/// </summary>
public sealed class TimerScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 1, 2, 3, TimeSpan.Zero);

    [Theory]
    [InlineData("0 */30 * * * *", 30 * 60)]
    [InlineData("0 0 2 * * *", 24 * 3600)]
    [InlineData("0 0 */6 * * *", 6 * 3600)]
    [InlineData("*/15 * * * * *", 15)]
    [InlineData("0 0 9 * * 1-5", 3 * 24 * 3600)]
    [InlineData("0 5,35 * * * *", 30 * 60)]
    [InlineData("0 0 0 1 * *", 31 * 24 * 3600)]
    [InlineData("0 */5 * * * *", 5 * 60)]
    [InlineData("0 0 2 * * MON", 7 * 24 * 3600)]
    [InlineData("0 0 22 * * 1-5", 3 * 24 * 3600)] // Friday 22:00 to Monday 22:00
    [InlineData("0 0 8,17 * * *", 15 * 3600)] // 17:00 to 08:00 the next day
    // A weekday 09:30 in January-March: the longest wait is from 31 March on a Wednesday (the last weekday of March)
    // to the first weekday of the next January, which starts on a Saturday: Monday 3 January, 278 days later.
    [InlineData("0 30 9 * JAN-MAR MON-FRI", 278 * 24 * 3600)]
    [InlineData("0 0 0 29 2 *", 1461 * 24 * 3600)] // leap days, four years apart
    [InlineData("0 0 0 1 1 *", 366 * 24 * 3600)] // across a leap year
    [InlineData("*/5 * * * *", 5 * 60)] // the classic five fields, which the host also accepts
    [InlineData("01:30:00", 90 * 60)] // the host's TimeSpan form
    public void Interval_IsTheLongestGapBetweenOccurrences(string schedule, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TimerSchedule.Parse(schedule).Interval);

    [Theory]
    [InlineData("0 */5 * * * *", "2026-11-22T01:02:03Z", "2026-11-22T01:05:00Z")]
    [InlineData("0 */5 * * * *", "2026-11-22T01:05:00Z", "2026-11-22T01:10:00Z")] // strictly after
    [InlineData("0 */5 * * * *", "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z")]
    [InlineData("*/2 * * * * *", "2026-11-22T01:02:03Z", "2026-11-22T01:02:04Z")]
    [InlineData("0 0 2 * * *", "2026-11-22T01:02:03Z", "2026-11-22T02:00:00Z")]
    [InlineData("0 0 1 * * *", "2026-11-22T01:02:03Z", "2026-11-23T01:00:00Z")]
    [InlineData("0 0 2 * * MON", "2026-11-22T01:02:03Z", "2026-11-23T02:00:00Z")]
    [InlineData("0 0 2 * * MON", "2026-11-23T02:00:00Z", "2026-11-30T02:00:00Z")]
    [InlineData("0 30 9 * JAN-MAR MON-FRI", "2026-11-22T01:02:03Z", "2027-01-01T09:30:00Z")]
    [InlineData("0 30 9 * JAN-MAR MON-FRI", "2027-03-31T09:30:00Z", "2028-01-03T09:30:00Z")]
    [InlineData("0 0 0 29 FEB *", "2026-11-22T01:02:03Z", "2028-02-29T00:00:00Z")]
    [InlineData("30 9 * * 1", "2026-11-22T01:02:03Z", "2026-11-23T09:30:00Z")]
    // Day and day-of-week both given: both must match (NCrontab, as in the host), so Friday the 13th, not every Friday.
    [InlineData("0 0 0 13 * FRI", "2026-11-22T01:02:03Z", "2027-08-13T00:00:00Z")]
    [InlineData("00:10:00", "2026-11-22T01:02:03Z", "2026-11-22T01:12:03Z")]
    public void Next_IsTheFirstOccurrenceAfterInUtc(string schedule, string after, string expected) =>
        Assert.Equal(At(expected), TimerSchedule.Parse(schedule).Next(At(after)));

    [Fact]
    public void Next_FromANonUtcOffset_IsStillComputedInUtc()
    {
        var next = TimerSchedule.Parse("0 0 2 * * *").Next(new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.FromHours(10)));

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero), next);
        Assert.Equal(TimeSpan.Zero, next.Offset);
    }

    [Theory]
    [InlineData("0 61 * * * *", "61 is higher than the maximum allowable value for the [Minute] field")]
    [InlineData("0 x * * * *", "'x'")]
    [InlineData("0 0 2 * * FOO", "'FOO'")]
    [InlineData("0 0 2 * * 7", "[DayOfWeek] field")] // the host's day-of-week is 0-6
    [InlineData("0 0 0 31 2 *", "never fires")]
    [InlineData("* * *", "6 components")]
    [InlineData("0 0 2 * * * *", "6 components")]
    [InlineData("every minute", "NCRONTAB")]
    [InlineData("00:00:00", "must be positive")]
    [InlineData("-01:00:00", "must be positive")]
    public void Parse_AScheduleTheHostRefusesOrThatNeverFires_IsOneLineNamingTheSettingAndTheSchedule(string schedule, string reason)
    {
        var message = Assert.Throws<FormatException>(() => TimerSchedule.Parse(schedule, "TGA_SYNC_SCHEDULE")).Message;

        Assert.StartsWith($"TGA_SYNC_SCHEDULE: '{schedule}' is not a valid timer schedule: ", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    private static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
