using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Tests.Ingest;

public sealed class NcrontabIntervalTests
{
    [Theory]
    [InlineData("0 */30 * * * *", 30 * 60)]
    [InlineData("0 0 2 * * *", 24 * 3600)]
    [InlineData("0 0 */6 * * *", 6 * 3600)]
    [InlineData("*/15 * * * * *", 15)]
    [InlineData("0 0 9 * * 1-5", 3 * 24 * 3600)]
    [InlineData("0 5,35 * * * *", 30 * 60)]
    [InlineData("0 0 0 1 * *", 31 * 24 * 3600)]
    public void Of_ValidSchedule_IsTheLongestGapBetweenOccurrences(string schedule, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), NcrontabInterval.Of(schedule));

    [Theory]
    [InlineData("*/5 * * * *", "six fields")]
    [InlineData("0 61 * * * *", "field '61'")]
    [InlineData("0 0 0 31 2 *", "never fires")]
    [InlineData("0 x * * * *", "field 'x'")]
    public void Of_BadSchedule_ThrowsNamingTheProblem(string schedule, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => NcrontabInterval.Of(schedule)).Message, StringComparison.Ordinal);
}
