using Azure;
using Azure.Storage.Blobs;
using Rtgf.Azure.Snapshots;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Snapshots;

[Collection(AzuriteCollection.Name)]
public sealed class BlobSnapshotStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset FetchedAt = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Reads_OnAFreshContainer_FindNothingAndCreateNothing()
    {
        var container = azurite.BlobService().GetBlobContainerClient(azurite.UniqueName("snap"));
        var store = new BlobSnapshotStore(container);

        Assert.Null(await store.GetLatestAsync("tga"));
        Assert.Null(await store.GetAsync("tga", "sha256:" + new string('0', 64)));

        Assert.False(await container.ExistsAsync());
    }

    [Fact]
    public async Task Write_New_StoresRecordsManifestAndLatest()
    {
        var container = await azurite.NewContainerAsync();
        var store = new BlobSnapshotStore(container);
        var snapshot = Build("run-1", "Alpha");

        var result = await store.WriteAsync(snapshot);

        Assert.True(result.Created);
        var hex = snapshot.Manifest.DigestHex;
        Assert.Equal(snapshot.Records.ToArray(), (await container.GetBlobClient($"snapshots/tga/{hex}/records.jsonl").DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(snapshot.ManifestJson.ToArray(), (await container.GetBlobClient($"snapshots/tga/{hex}/manifest.json").DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(snapshot.Manifest.Digest, (await container.GetBlobClient("snapshots/tga/latest").DownloadContentAsync()).Value.Content.ToString());
        var latest = await store.GetLatestAsync("tga");
        Assert.NotNull(latest);
        Assert.Equal(snapshot.Records.ToArray(), latest.Records.ToArray());
        Assert.Equal(snapshot.Manifest.Digest, latest.Manifest.Digest);
    }

    [Fact]
    public async Task Write_SameDigestAsLatest_WritesNothingAndReturnsExisting()
    {
        var container = await azurite.NewContainerAsync();
        var store = new BlobSnapshotStore(container);
        await store.WriteAsync(Build("run-1", "Alpha"));
        var pointerBefore = (await container.GetBlobClient("snapshots/tga/latest").GetPropertiesAsync()).Value.ETag;

        var result = await store.WriteAsync(Build("run-2", "Alpha"));

        Assert.False(result.Created);
        Assert.Equal("run-1", result.Manifest.RunId);
        Assert.Equal(pointerBefore, (await container.GetBlobClient("snapshots/tga/latest").GetPropertiesAsync()).Value.ETag);
        Assert.Equal(3, await CountAsync(container));
    }

    [Fact]
    public async Task Write_FaultBetweenRecordsAndManifest_SnapshotAbsentThenCompletesOnRetry()
    {
        var container = await azurite.NewContainerAsync();
        var first = Build("run-1", "Alpha");
        await new BlobSnapshotStore(container).WriteAsync(first);
        var second = Build("run-2", "Beta");
        var faulty = new BlobSnapshotStore(new FailingBlobs(new ContainerSnapshotBlobs(container), "manifest.json"));

        await Assert.ThrowsAsync<IOException>(() => faulty.WriteAsync(second));

        var store = new BlobSnapshotStore(container);
        Assert.True(await container.GetBlobClient($"snapshots/tga/{second.Manifest.DigestHex}/records.jsonl").ExistsAsync());
        Assert.Null(await store.GetAsync("tga", second.Manifest.Digest));
        Assert.Equal(first.Manifest.Digest, (await store.GetLatestAsync("tga"))!.Manifest.Digest);

        var retried = await store.WriteAsync(second);

        Assert.True(retried.Created);
        Assert.Equal(second.Manifest.Digest, (await store.GetLatestAsync("tga"))!.Manifest.Digest);
    }

    [Fact]
    public async Task Write_ConcurrentWritersOfSameSnapshot_OneCreatesAllAgree()
    {
        var container = await azurite.NewContainerAsync();
        var snapshot = Build("run-1", "Alpha");

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => new BlobSnapshotStore(container).WriteAsync(snapshot))));

        Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(snapshot.Manifest.Digest, r.Manifest.Digest));
        Assert.Equal(snapshot.Manifest.Digest, (await new BlobSnapshotStore(container).GetLatestAsync("tga"))!.Manifest.Digest);
        Assert.Equal(3, await CountAsync(container));
    }

    [Fact]
    public async Task Write_LatestMovedByAnotherWriter_CasRetriesAndLatestIsNewest()
    {
        var container = await azurite.NewContainerAsync();
        var store = new BlobSnapshotStore(container);
        await store.WriteAsync(Build("run-1", "Alpha"));
        var third = Build("run-3", "Gamma");
        // Another writer moves the pointer after this store read it: the stale ETag must fail and the store re-read.
        var racing = new BlobSnapshotStore(new RacingBlobs(new ContainerSnapshotBlobs(container), () => new BlobSnapshotStore(container).WriteAsync(Build("run-2", "Beta"))));

        var result = await racing.WriteAsync(third);

        Assert.True(result.Created);
        Assert.Equal(third.Manifest.Digest, (await store.GetLatestAsync("tga"))!.Manifest.Digest);
        Assert.NotNull(await store.GetAsync("tga", Build("run-2", "Beta").Manifest.Digest));
    }

    [Fact]
    public async Task Get_RecordsTamperedInStorage_Throws()
    {
        var container = await azurite.NewContainerAsync();
        var store = new BlobSnapshotStore(container);
        var snapshot = Build("run-1", "Alpha");
        await store.WriteAsync(snapshot);
        await container.GetBlobClient($"snapshots/tga/{snapshot.Manifest.DigestHex}/records.jsonl").UploadAsync(BinaryData.FromString("{}\n"), overwrite: true);

        var error = await Assert.ThrowsAsync<SnapshotException>(() => store.GetLatestAsync("tga"));

        Assert.Contains(snapshot.Manifest.DigestHex, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLatest_NothingWritten_ReturnsNull()
    {
        var container = await azurite.NewContainerAsync();

        Assert.Null(await new BlobSnapshotStore(container).GetLatestAsync("tga"));
    }

    private static Snapshot Build(string runId, string name) =>
        SnapshotBuilder.Build("tga", runId, FetchedAt, [new SnapshotProvenance("https://tga.invalid/svc", "SearchByModifiedDate", ServerTime: FetchedAt)],
            [new RtoRecord("0001", name, "12345678901", [], "Current", "ASQA", null, null, null), new RtoRecord("0002", "Other", null, [], null, null, null, null, null)]);

    private static async Task<int> CountAsync(BlobContainerClient container) => (await BlobNames.ListAsync(container, "snapshots/")).Count;

    /// <summary>Fails the create of any blob whose name ends with <paramref name="suffix"/>, as a crash would.</summary>
    private sealed class FailingBlobs(ISnapshotBlobs inner, string suffix) : ISnapshotBlobs
    {
        public Task<(byte[] Content, ETag ETag)?> TryReadAsync(string name, CancellationToken cancellationToken) => inner.TryReadAsync(name, cancellationToken);

        public Task<bool> CreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            name.EndsWith(suffix, StringComparison.Ordinal) ? throw new IOException("injected fault before " + name) : inner.CreateAsync(name, content, cancellationToken);

        public Task<bool> SwapAsync(string name, ReadOnlyMemory<byte> content, ETag? expected, CancellationToken cancellationToken) => inner.SwapAsync(name, content, expected, cancellationToken);
    }

    /// <summary>Runs <paramref name="race"/> once, just before the first pointer swap.</summary>
    private sealed class RacingBlobs(ISnapshotBlobs inner, Func<Task> race) : ISnapshotBlobs
    {
        private bool _raced;

        public Task<(byte[] Content, ETag ETag)?> TryReadAsync(string name, CancellationToken cancellationToken) => inner.TryReadAsync(name, cancellationToken);

        public Task<bool> CreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => inner.CreateAsync(name, content, cancellationToken);

        public async Task<bool> SwapAsync(string name, ReadOnlyMemory<byte> content, ETag? expected, CancellationToken cancellationToken)
        {
            if (!_raced)
            {
                _raced = true;
                await race();
            }

            return await inner.SwapAsync(name, content, expected, cancellationToken);
        }
    }
}
