using System.Text;
using Azure;
using Rtgf.Azure.Storage.Queues;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Storage.Queues;

[Collection(AzuriteCollection.Name)]
public sealed class QueueClientTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateIfNotExists_Twice_SucceedsAndDeleteRemovesIt()
    {
        var queue = azurite.QueueService().GetQueueClient(azurite.UniqueName("q"));

        await queue.CreateIfNotExistsAsync();
        await queue.CreateIfNotExistsAsync();
        Assert.True(await queue.ExistsAsync());

        await queue.DeleteAsync();
        Assert.False(await queue.ExistsAsync());
        Assert.False(await queue.DeleteIfExistsAsync());
    }

    [Fact]
    public async Task SendThenReceive_DeliversBodyWithDequeueCountOne()
    {
        var queue = await azurite.NewQueueAsync();

        var receipt = (await queue.SendMessageAsync("{\"source\":\"tga\"}")).Value;
        var message = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Equal(receipt.MessageId, message.MessageId);
        Assert.Equal("{\"source\":\"tga\"}", message.MessageText);
        Assert.Equal(1, message.DequeueCount);
        Assert.True(message.NextVisibleOn > message.InsertedOn);
    }

    [Fact]
    public async Task Receive_HidesTheMessageUntilItsVisibilityEnds()
    {
        var queue = await azurite.NewQueueAsync();
        await queue.SendMessageAsync("job");

        var first = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromMinutes(5))).Value);
        var whileHidden = (await queue.ReceiveMessagesAsync()).Value;

        Assert.Empty(whileHidden);
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
        Assert.Equal("job", first.MessageText);
    }

    [Fact]
    public async Task UpdateVisibilityToZero_RedeliversWithHigherDequeueCount()
    {
        var queue = await azurite.NewQueueAsync();
        await queue.SendMessageAsync("retry me");
        var first = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromMinutes(5))).Value);

        var update = (await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt, visibilityTimeout: TimeSpan.Zero)).Value;
        var second = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.NotEqual(first.PopReceipt, update.PopReceipt);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
    }

    [Fact]
    public async Task Update_CanReplaceTheBody()
    {
        var queue = await azurite.NewQueueAsync();
        await queue.SendMessageAsync("v1");
        var message = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, BinaryData.FromString("v2"), TimeSpan.Zero);

        Assert.Equal("v2", Assert.Single((await queue.PeekMessagesAsync()).Value).MessageText);
    }

    [Fact]
    public async Task SendWithVisibilityDelay_IsInvisibleUntilTheDelayPasses()
    {
        var queue = await azurite.NewQueueAsync();

        await queue.SendMessageAsync("later", visibilityTimeout: TimeSpan.FromSeconds(1));
        Assert.Empty((await queue.PeekMessagesAsync()).Value);

        var delivered = await Eventually.ProbeAsync(async () => (await queue.ReceiveMessagesAsync()).Value, m => m.Count == 1, TimeSpan.FromSeconds(15), "the delayed message");
        Assert.Equal("later", Assert.Single(delivered).MessageText);
    }

    [Fact]
    public async Task ReceiveBatch_ReturnsUpTo32()
    {
        var queue = await azurite.NewQueueAsync();
        for (var i = 0; i < 40; i++)
        {
            await queue.SendMessageAsync($"m{i}");
        }

        var batch = (await queue.ReceiveMessagesAsync(maxMessages: 32)).Value;
        var rest = (await queue.ReceiveMessagesAsync(maxMessages: 32)).Value;

        Assert.Equal(32, batch.Count);
        Assert.Equal(8, rest.Count);
        Assert.Equal(40, batch.Concat(rest).Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Peek_LeavesDequeueCountAndVisibilityAlone()
    {
        var queue = await azurite.NewQueueAsync();
        await queue.SendMessageAsync("look");

        var peeked = Assert.Single((await queue.PeekMessagesAsync()).Value);
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Equal(0, peeked.DequeueCount);
        Assert.Equal(1, received.DequeueCount);
    }

    [Fact]
    public async Task DeleteMessage_RemovesIt_AndAStalePopReceiptIsRefused()
    {
        var queue = await azurite.NewQueueAsync();
        await queue.SendMessageAsync("done");
        var message = Assert.Single((await queue.ReceiveMessagesAsync()).Value);
        var updated = (await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.FromMinutes(1))).Value;

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt));
        await queue.DeleteMessageAsync(message.MessageId, updated.PopReceipt);

        Assert.True(error.Status is 400 or 404, $"stale pop receipt gave {error.Status}");
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Base64Encoding_RoundTripsArbitraryBytes()
    {
        var queue = await azurite.NewQueueAsync(encoding: QueueMessageEncoding.Base64);
        var bytes = new byte[] { 0, 1, 2, 0xFF, 0xFE, (byte)'<', (byte)'&' };

        await queue.SendMessageAsync(new BinaryData(bytes));

        Assert.Equal(bytes, Assert.Single((await queue.ReceiveMessagesAsync()).Value).Body.ToArray());
    }

    [Fact]
    public async Task XmlSpecialCharacters_SurviveWithoutEncoding()
    {
        var queue = await azurite.NewQueueAsync();
        const string text = "<tag attr=\"v\">&amp; 'quotes' — Ōtautahi</tag>";

        await queue.SendMessageAsync(text);

        Assert.Equal(text, Assert.Single((await queue.ReceiveMessagesAsync()).Value).MessageText);
    }

    [Fact]
    public async Task OversizedMessage_IsRefusedClientSideAndNothingIsQueued()
    {
        var queue = await azurite.NewQueueAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new string('x', 70 * 1024)));

        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task GetProperties_CountsMessages_AndClearEmptiesTheQueue()
    {
        var queue = await azurite.NewQueueAsync();
        for (var i = 0; i < 3; i++)
        {
            await queue.SendMessageAsync(Encoding.UTF8.GetString([(byte)('a' + i)]));
        }

        Assert.Equal(3, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        await queue.ClearMessagesAsync();
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Receive_FromEmptyQueue_ReturnsNothing()
    {
        var queue = await azurite.NewQueueAsync();

        Assert.Empty((await queue.ReceiveMessagesAsync(maxMessages: 32)).Value);
    }

    [Fact]
    public async Task Operations_OnMissingQueue_ThrowQueueNotFound()
    {
        var queue = azurite.QueueService().GetQueueClient(azurite.UniqueName("missing"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("x"));

        Assert.Equal(404, error.Status);
        Assert.Equal("QueueNotFound", error.ErrorCode);
    }
}
