using System.Globalization;
using Rtgf.Compiler;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Revocation;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Publishing;

[Collection(PublishingCollection.Name)]
public sealed class RecordRevocationReaderTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetChangesAfter_WhileAPublicationStoresItsRevocations_ServesNoPartOfItsEpoch()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var tokens = Enumerable.Range(0, 250)
            .Select(i => TestTokens.Token("rto-registration", "rto:" + i.ToString("D3", CultureInfo.InvariantCulture), $"{{\"n\":{i}}}"))
            .ToArray();
        var all = TestTokens.Build(tokens);
        await world.Publisher().PublishAsync(BuildCompilation.ToStored(all), all);
        var gate = new EpochRowsGate(world.Records);
        var publisher = new Publisher(gate, world.Builds, world.Log, world.LogLock, world.Issuer, world.Freeze(), world.Options, world.Clock);
        var withdrawing = TestTokens.Build([new BuildInput("test", "sha256:" + new string('1', 64), 1)], [tokens[0]]);

        // 249 revocations are stored in three batches: hold the publication once the first batch is stored, and read.
        var publishing = publisher.PublishAsync(BuildCompilation.ToStored(withdrawing), withdrawing);
        await Task.WhenAny(gate.FirstBatchStored, publishing);
        Assert.True(gate.FirstBatchStored.IsCompleted, "the publication ended before storing its revocations");
        var during = await world.Revocations.GetChangesAfterAsync(new RevocationFeedPosition(0, null), 1000);
        gate.Open();
        await publishing;
        var after = await world.Revocations.GetChangesAfterAsync(new RevocationFeedPosition(0, null), 1000);

        Assert.Empty(during);
        Assert.Equal(249, after.Count);
        Assert.All(after, r => Assert.Equal(1, r.Epoch));
    }

    /// <summary>Lets the first batch of <c>epoch</c> revocation rows through, then holds every later one until <see cref="Open"/>.</summary>
    private sealed class EpochRowsGate(IRecordStore inner) : IRecordStore
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _batches;

        public Task FirstBatchStored => _first.Task;

        public void Open() => _open.TrySetResult();

        public async Task UpsertBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default)
        {
            if (table != RecordTables.Revocations || partition != "epoch")
            {
                await inner.UpsertBatchAsync(table, partition, rows, cancellationToken);
                return;
            }

            if (Interlocked.Increment(ref _batches) > 1)
            {
                await _open.Task.WaitAsync(cancellationToken);
            }

            await inner.UpsertBatchAsync(table, partition, rows, cancellationToken);
            _first.TrySetResult();
        }

        public Task<StoredRecord?> GetAsync(string table, string partition, string row, CancellationToken cancellationToken = default) =>
            inner.GetAsync(table, partition, row, cancellationToken);

        public Task<bool> TryCreateAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default) =>
            inner.TryCreateAsync(table, partition, row, json, cancellationToken);

        public Task<bool> TryReplaceAsync(string table, string partition, string row, string json, string etag, CancellationToken cancellationToken = default) =>
            inner.TryReplaceAsync(table, partition, row, json, etag, cancellationToken);

        public Task UpsertAsync(string table, string partition, string row, string json, CancellationToken cancellationToken = default) =>
            inner.UpsertAsync(table, partition, row, json, cancellationToken);

        public Task<bool> TryCreateBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default) =>
            inner.TryCreateBatchAsync(table, partition, rows, cancellationToken);

        public Task DeleteAsync(string table, string partition, string row, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(table, partition, row, cancellationToken);

        public Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string partition, string? afterRow, int max, CancellationToken cancellationToken = default) =>
            inner.QueryAsync(table, partition, afterRow, max, cancellationToken);
    }
}
