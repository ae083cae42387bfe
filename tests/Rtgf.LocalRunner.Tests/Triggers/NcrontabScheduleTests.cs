using Rtgf.LocalRunner.Triggers;

namespace Rtgf.LocalRunner.Tests.Triggers;

public sealed class NcrontabScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 1, 2, 3, TimeSpan.Zero);

    [Theory]
    [InlineData("0 */5 * * * *", "2026-11-22T01:05:00Z")]
    [InlineData("*/2 * * * * *", "2026-11-22T01:02:04Z")]
    [InlineData("0 0 2 * * *", "2026-11-22T02:00:00Z")]
    [InlineData("0 0 1 * * *", "2026-11-23T01:00:00Z")]
    [InlineData("30 9 * * 1", "2026-11-23T09:30:00Z")]
    public void Next_IsTheFirstOccurrenceAfterInUtc(string expression, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), NcrontabSchedule.Parse(expression).Next(Start));

    [Fact]
    public void Next_FromANonUtcOffset_IsStillComputedInUtc() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero), NcrontabSchedule.Parse("0 0 2 * * *").Next(new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.FromHours(10))));

    [Theory]
    [InlineData("every minute")]
    [InlineData("* * *")]
    [InlineData("61 * * * * *")]
    public void Parse_Invalid_SaysSo(string expression) =>
        Assert.Contains("NCRONTAB", Assert.Throws<RunnerException>(() => NcrontabSchedule.Parse(expression)).Message, StringComparison.Ordinal);
}
