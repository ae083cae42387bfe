using Rtgf.Azure.Queues;

namespace Rtgf.Azure.Tests.Queues;

public sealed class QueueLimitsTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("Jobs")]
    [InlineData("a--b")]
    [InlineData("-abc")]
    [InlineData("abc-")]
    public void ValidateQueueName_Illegal_IsRefused(string name) =>
        Assert.Throws<ArgumentException>(() => QueueLimits.ValidateQueueName(name));

    [Theory]
    [InlineData("compile")]
    [InlineData("ingest-tga-poison")]
    public void ValidateQueueName_Legal_IsAccepted(string name) => QueueLimits.ValidateQueueName(name);

    [Fact]
    public void ValidateBase64Message_CountsTheEncodedSize()
    {
        // 49,152 bytes encode to exactly 65,536; one more byte does not fit.
        QueueLimits.ValidateBase64Message(new string('x', 49_152));
        var error = Assert.Throws<ArgumentException>(() => QueueLimits.ValidateBase64Message(new string('x', 49_153)));

        Assert.Contains("65,540", error.Message, StringComparison.Ordinal);
        Assert.Contains("64 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateBase64Message_CountsUtf8Bytes() =>
        Assert.Throws<ArgumentException>(() => QueueLimits.ValidateBase64Message(new string('é', 24_577)));

    [Fact]
    public void ValidateDelay_OutsideZeroToSevenDays_IsRefused()
    {
        QueueLimits.ValidateDelay(TimeSpan.Zero);
        QueueLimits.ValidateDelay(TimeSpan.FromDays(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueLimits.ValidateDelay(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueLimits.ValidateDelay(TimeSpan.FromSeconds(-1)));
    }
}
