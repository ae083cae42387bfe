using Rtgf.Azure.Storage.Queues;

namespace Rtgf.Azure.Tests.Storage.Queues;

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
    public async Task SendMessage_RulesAreCheckedBeforeSending()
    {
        var queue = new QueueClient("UseDevelopmentStorage=true", "jobs");

        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new string('x', (64 * 1024) + 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync("bell\u0007"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("x", visibilityTimeout: TimeSpan.FromDays(8)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(maxMessages: 33));
    }
}
