using System.Globalization;
using System.Text;
using Rtgf.Azure.Transparency;
using Rtgf.Core.Signing;
using Rtgf.Testing;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Azure.IntegrationTests.Transparency;

/// <summary>
/// N writers (each its own integrator and store client, as on separate instances) append to one log on Azurite under the Blob
/// lease, with seeded interleavings and crashes before and after writes land. After every round the log must prove itself: the
/// signed checkpoint verifies, its root equals the root recomputed from the stored entry bundles and from the tiles, every batch
/// a writer was told is in sits at its index, and no batch is there twice or in part.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConcurrentLogWritersTests(AzuriteFixture azurite)
{
    private const string Origin = "rtgf.test/log";
    private const int Rounds = 3;

    [Theory]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(8, false)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    [InlineData(8, true)]
    public async Task Writers_RacingWithCrashes_LogProvesEveryAcknowledgedBatchOnce(int writers, bool crashes)
    {
        using var signer = LocalDevelopmentSigner.Create();
        for (var round = 0; round < Rounds; round++)
        {
            var seed = (ulong)((writers * 1000) + (round * 10) + (crashes ? 1 : 0));
            var container = await azurite.NewContainerAsync("cw");
            var acknowledged = new List<(long First, IReadOnlyList<ReadOnlyMemory<byte>> Batch)>();
            var attempted = new List<IReadOnlyList<ReadOnlyMemory<byte>>>();
            var gate = new Lock();

            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                var random = new SeededRandom(seed * 31 + (ulong)w);
                var store = new ChaosStore(new BlobLogObjectStore(container), random, crashes ? 12 : 0);
                var integrator = new LogIntegrator(store, Origin, signer);
                var writerLock = new BlobLogWriterLock(container, Eventually.RealTime);
                for (var b = 0; b < 3; b++)
                {
                    // A crash ends the attempt; the "redelivery" appends a batch of its own (the appender's journal, tested in
                    // the publisher, is what makes a retry of the same batch exactly-once).
                    var batch = Batch($"w{w}b{b}", random.Next(1, 300));
                    lock (gate)
                    {
                        attempted.Add(batch);
                    }

                    try
                    {
                        await using var lease = await LogWriterLease.AcquireAsync(writerLock, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(15));
                        var result = await integrator.IntegrateAsync(batch, lease);
                        lock (gate)
                        {
                            acknowledged.Add((result.FirstIndex, batch));
                        }
                    }
                    catch (Exception e) when (e is ChaosStore.CrashException or LogConflictException)
                    {
                        // A crash or a lost race: nothing acknowledged; the log must still prove itself.
                    }
                }
            })));

            await AssertLogProvesItselfAsync(new BlobLogObjectStore(container), signer, acknowledged, attempted);
            Assert.True(crashes || acknowledged.Count == writers * 3, $"without crashes every batch is acknowledged ({acknowledged.Count} of {writers * 3})");
        }
    }

    private static async Task AssertLogProvesItselfAsync(
        ILogObjectStore store, ISigner signer, List<(long First, IReadOnlyList<ReadOnlyMemory<byte>> Batch)> acknowledged, List<IReadOnlyList<ReadOnlyMemory<byte>>> attempted)
    {
        var integrator = new LogIntegrator(store, Origin, signer);
        var state = await integrator.LoadAsync(); // verifies the signature and recomputes the root from the tiles
        var size = state.Checkpoint.Size;
        var reader = new LogReader(new StoreObjectSource(store));
        var entries = new List<byte[]>();
        for (long i = 0; i < size; i++)
        {
            entries.Add((await reader.GetEntryAsync(i, size)).ToArray());
        }

        Assert.Equal(state.Checkpoint.RootHash.ToArray(), MerkleHash.Root([.. entries.Select(e => MerkleHash.Leaf(e))]));
        Assert.True(CheckpointVerifier.Verify(state.Note!, [integrator.VerifierKey], Origin).IsValid);

        foreach (var (first, batch) in acknowledged)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                Assert.Equal(batch[i].ToArray(), entries[(int)first + i]);
            }
        }

        // The log is whole batches, each once: walk it, matching each run of entries to the batch its first entry starts.
        var byFirstEntry = attempted.ToDictionary(b => Encoding.UTF8.GetString(b[0].Span), b => b, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var at = 0; at < entries.Count;)
        {
            var key = Encoding.UTF8.GetString(entries[at]);
            Assert.True(byFirstEntry.TryGetValue(key, out var batch), $"entry {at} does not start a batch: {key}");
            Assert.True(seen.Add(key), $"batch {key} is in the log twice");
            for (var i = 0; i < batch!.Count; i++)
            {
                Assert.Equal(batch[i].ToArray(), entries[at + i]);
            }

            at += batch.Count;
        }

        Assert.True(acknowledged.All(a => seen.Contains(Encoding.UTF8.GetString(a.Batch[0].Span))));
    }

    private static List<ReadOnlyMemory<byte>> Batch(string tag, int count) =>
        [.. Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"token\",\"tag\":\"{tag}\",\"n\":{i}}}")))];

    /// <summary>Yields a seeded number of times before each operation (so writers interleave differently each round) and crashes some writes.</summary>
    private sealed class ChaosStore(ILogObjectStore inner, SeededRandom random, int crashOneIn) : ILogObjectStore
    {
        public async ValueTask<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default)
        {
            await JitterAsync();
            return await inner.GetAsync(path, cancellationToken);
        }

        public async ValueTask<bool> CreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
            await WriteAsync(() => inner.CreateAsync(path, content, cancellationToken).AsTask());

        public async ValueTask<string?> SwapAsync(string path, ReadOnlyMemory<byte> content, string? expectedVersion, CancellationToken cancellationToken = default) =>
            await WriteAsync(() => inner.SwapAsync(path, content, expectedVersion, cancellationToken).AsTask());

        private async Task<T> WriteAsync<T>(Func<Task<T>> write)
        {
            await JitterAsync();
            var crash = crashOneIn > 0 && Draw(crashOneIn) == 0;
            var afterLanding = Draw(2) == 0;
            if (crash && !afterLanding)
            {
                throw new CrashException();
            }

            var result = await write();
            return crash ? throw new CrashException() : result;
        }

        private async Task JitterAsync()
        {
            for (var i = Draw(4); i > 0; i--)
            {
                await Task.Yield();
            }
        }

        private int Draw(int below)
        {
            lock (random)
            {
                return random.Next(0, below);
            }
        }

        public sealed class CrashException() : Exception("Simulated crash.");
    }
}
