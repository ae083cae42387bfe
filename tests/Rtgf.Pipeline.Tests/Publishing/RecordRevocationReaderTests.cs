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
    public async Task GetChangesAfter_WhileAPublicationStoresItsRevocations_ServesNoPartOfItsEpochAndItIsNotComplete()
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
        var during = (await world.Revocations.GetChangesAfterAsync(new RevocationFeedPosition(0, null), 1000)).Changes;
        var (currentDuring, completeDuring) = (await world.Revocations.GetEpochAsync(), await world.Revocations.GetCompleteEpochAsync());
        gate.Open();
        await publishing;
        var after = (await world.Revocations.GetChangesAfterAsync(new RevocationFeedPosition(0, null), 1000)).Changes;

        Assert.Empty(during);
        Assert.Equal((1, 0), (currentDuring, completeDuring));
        Assert.Equal(1, await world.Revocations.GetCompleteEpochAsync());
        Assert.Equal(249, after.Count);
        Assert.All(after, r => Assert.Equal(1, r.Epoch));
    }

    [Fact]
    public async Task GetChangesAfter_PagingAnEpochWhileABuildThatRevokesNothingIsInProgress_DeliversEveryRevocationOnce()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var tokens = Tokens(250);
        var all = TestTokens.Build(tokens);
        await world.Publisher(chunkSize: 1000).PublishAsync(BuildCompilation.ToStored(all), all);
        var withdrawing = TestTokens.Build([new BuildInput("test", "sha256:" + new string('1', 64), 1)], [tokens[0]]);
        await world.Publisher(chunkSize: 1000).PublishAsync(BuildCompilation.ToStored(withdrawing), withdrawing);

        // A client pages through epoch 1 (249 revocations) 100 at a time, as the endpoint's next links do.
        const int limit = 100;
        var seen = new List<RevocationRecord>();
        var first = (await world.Revocations.GetChangesAfterAsync(new RevocationFeedPosition(0, null), limit)).Changes;
        seen.AddRange(first);

        // Between its pages a build that only issues starts: the head keeps epoch 1. Hold it once it writes token rows.
        var held = new HeldRecordStore(world.Records, RecordTables.Tokens);
        var publisher = new Publisher(held, world.Builds, world.Log, world.LogLock, world.Issuer, world.Freeze(), world.Options, world.Clock);
        var issuing = TestTokens.Build([new BuildInput("test", "sha256:" + new string('2', 64), 1)], [tokens[0], TestTokens.Token("rto-registration", "rto:new", "{\"n\":-1}")]);
        var publishing = publisher.PublishAsync(BuildCompilation.ToStored(issuing), issuing);
        await Task.WhenAny(held.Reached, publishing);
        Assert.True(held.Reached.IsCompleted, "the build ended before writing its tokens");

        var page = first;
        while (page.Count == limit)
        {
            page = (await world.Revocations.GetChangesAfterAsync(new RevocationFeedPosition(page[^1].Epoch, page[^1].TokenId), limit)).Changes;
            seen.AddRange(page);
        }

        held.Release();
        var publication = await publishing;

        Assert.Equal(0, publication.Revoked);
        Assert.Equal(249, seen.Count);
        Assert.Equal(249, seen.Select(r => r.TokenId).Distinct(StringComparer.Ordinal).Count());
        Assert.All(seen, r => Assert.Equal(1, r.Epoch));
    }

    [Fact]
    public async Task GetChangesAfter_WhenARevokingPublicationStartsBetweenTheHeadReadAndTheRowQuery_ServesNoPartOfItsEpoch()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var tokens = Tokens(250);
        var all = TestTokens.Build(tokens);
        await world.Publisher(chunkSize: 1000).PublishAsync(BuildCompilation.ToStored(all), all);

        // The reader reads the head (nothing in progress) and is held before its first row query.
        var querying = new QueryGate(world.Records);
        var reading = new RecordRevocationReader(querying).GetChangesAfterAsync(new RevocationFeedPosition(0, null), 1000);
        await Task.WhenAny(querying.Reached, reading);
        Assert.True(querying.Reached.IsCompleted, "the reader ended before querying its rows");

        // Meanwhile a publication adopts the head (epoch 1) and stores the first batch of its 249 revocations.
        var gate = new EpochRowsGate(world.Records);
        var publisher = new Publisher(gate, world.Builds, world.Log, world.LogLock, world.Issuer, world.Freeze(), world.Options, world.Clock);
        var withdrawing = TestTokens.Build([new BuildInput("test", "sha256:" + new string('1', 64), 1)], [tokens[0]]);
        var publishing = publisher.PublishAsync(BuildCompilation.ToStored(withdrawing), withdrawing);
        await Task.WhenAny(gate.FirstBatchStored, publishing);
        Assert.True(gate.FirstBatchStored.IsCompleted, "the publication ended before storing its revocations");

        querying.Release();
        var during = await reading;
        gate.Open();
        await publishing;

        Assert.Equal((0L, 0), (during.CompleteEpoch, during.Changes.Count));
        var after = await world.Revocations.GetChangesAfterAsync(new RevocationFeedPosition(0, null), 1000);
        Assert.Equal((1L, 249), (after.CompleteEpoch, after.Changes.Count));
    }

    private static CompiledToken[] Tokens(int count) => [.. Enumerable.Range(0, count)
        .Select(i => TestTokens.Token("rto-registration", "rto:" + i.ToString("D3", CultureInfo.InvariantCulture), $"{{\"n\":{i}}}"))];

    /// <summary>Holds the first query of the revocations table until <see cref="Release"/>; everything else passes.</summary>
    private sealed class QueryGate(IRecordStore inner) : IRecordStore
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Release() => _released.TrySetResult();

        public async Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string partition, string? afterRow, int max, CancellationToken cancellationToken = default)
        {
            if (table == RecordTables.Revocations)
            {
                _reached.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }

            return await inner.QueryAsync(table, partition, afterRow, max, cancellationToken);
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

        public Task UpsertBatchAsync(string table, string partition, IReadOnlyList<RecordBatchRow> rows, CancellationToken cancellationToken = default) =>
            inner.UpsertBatchAsync(table, partition, rows, cancellationToken);

        public Task DeleteAsync(string table, string partition, string row, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(table, partition, row, cancellationToken);
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
