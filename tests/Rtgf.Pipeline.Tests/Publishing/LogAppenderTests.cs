using System.Globalization;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Publishing;

[Collection(PublishingCollection.Name)]
public sealed class LogAppenderTests(AzuriteFixture azurite)
{
    /// <summary>
    /// Deliveries of one plan append the same batch at the same moment. Before the lease, a delivery that lost the checkpoint swap
    /// to another re-journalled at the new size and appended the batch a second time (issue 21, item 13). Now each takes the
    /// lease in turn, and every one after the first finds the batch in the log where the journal says.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public async Task AppendOnceAsync_SameBatchConcurrently_AppendedOnceAndEveryDeliveryGetsItsIndex(int deliveries)
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        await using (var seed = await world.OpenAppenderAsync())
        {
            await seed.AppendOnceAsync("plan-0", "seed", [Entry("seed", 0)], CancellationToken.None);
        }

        var batch = Enumerable.Range(0, 40).Select(i => Entry("batch", i)).ToList();

        var indexes = await Task.WhenAll(Enumerable.Range(0, deliveries).Select(_ => Task.Run(async () =>
        {
            await using var appender = await world.OpenAppenderAsync();
            return await appender.AppendOnceAsync("plan-1", "c000000", batch, CancellationToken.None);
        })));

        Assert.All(indexes, index => Assert.Equal(1L, index));
        var entries = await world.EntriesAsync();
        Assert.Equal(1 + batch.Count, entries.Count);
        Assert.Equal(batch.Count, entries.Count(e => e.GetProperty("type").GetString() == "snapshot" && e.GetProperty("source").GetString() == "batch"));
    }

    private static string Entry(string source, int n) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"type":"snapshot","source":"{{source}}","n":{{n}}}""");
}
