using Rtgf.Azure.Transparency;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Transparency;

[Collection(AzuriteCollection.Name)]
public sealed class BlobLogObjectStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateAsync_Twice_SecondReturnsFalseAndTheFirstContentStays()
    {
        var store = new BlobLogObjectStore(await azurite.NewContainerAsync());

        var first = await store.CreateAsync("tile/0/000", new byte[] { 1, 2, 3 });
        var second = await store.CreateAsync("tile/0/000", new byte[] { 9, 9 });

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(new byte[] { 1, 2, 3 }, (await store.GetAsync("tile/0/000"))!.Content.ToArray());
    }

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        var store = new BlobLogObjectStore(await azurite.NewContainerAsync());

        Assert.Null(await store.GetAsync("checkpoint"));
    }

    [Fact]
    public async Task GetAsync_ReturnsContentAndTheBlobETagAsVersion()
    {
        var container = await azurite.NewContainerAsync();
        var store = new BlobLogObjectStore(container);
        await store.CreateAsync("tile/entries/000.p/5", new byte[] { 7 });

        var stored = await store.GetAsync("tile/entries/000.p/5");
        var properties = (await container.GetBlobClient("tile/entries/000.p/5").GetPropertiesAsync()).Value;

        Assert.NotNull(stored);
        Assert.Equal(new byte[] { 7 }, stored.Content.ToArray());
        Assert.Equal(properties.ETag.ToString(), stored.Version);
    }

    [Fact]
    public async Task SwapAsync_WithCurrentVersion_ReplacesAndReturnsTheNewVersion_AStaleVersionFails()
    {
        var store = new BlobLogObjectStore(await azurite.NewContainerAsync());
        var v1 = await store.SwapAsync("checkpoint", "size 1\n"u8.ToArray(), expectedVersion: null);

        var v2 = await store.SwapAsync("checkpoint", "size 2\n"u8.ToArray(), v1);
        var stale = await store.SwapAsync("checkpoint", "size 3\n"u8.ToArray(), v1);
        var createAgain = await store.SwapAsync("checkpoint", "size 4\n"u8.ToArray(), expectedVersion: null);

        Assert.NotNull(v1);
        Assert.NotNull(v2);
        Assert.NotEqual(v1, v2);
        Assert.Null(stale);
        Assert.Null(createAgain);
        var current = await store.GetAsync("checkpoint");
        Assert.Equal("size 2\n"u8.ToArray(), current!.Content.ToArray());
        Assert.Equal(v2, current.Version);
    }

    [Fact]
    public async Task SwapAsync_ExpectedVersionButNoObject_ReturnsNull()
    {
        var store = new BlobLogObjectStore(await azurite.NewContainerAsync());

        Assert.Null(await store.SwapAsync("checkpoint", "x"u8.ToArray(), "\"0x8DCAFEBABE\""));
        Assert.Null(await store.GetAsync("checkpoint"));
    }

    [Fact]
    public async Task SwapAsync_EightConcurrentWritersWithTheSameVersion_ExactlyOneWins()
    {
        var store = new BlobLogObjectStore(await azurite.NewContainerAsync());
        var start = await store.SwapAsync("checkpoint", "size 0\n"u8.ToArray(), expectedVersion: null);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            store.SwapAsync("checkpoint", System.Text.Encoding.UTF8.GetBytes($"size {i + 1}\n"), start).AsTask()));

        var winners = Enumerable.Range(0, 8).Where(i => results[i] is not null).ToList();
        var winner = Assert.Single(winners);
        var current = await store.GetAsync("checkpoint");
        Assert.Equal($"size {winner + 1}\n", System.Text.Encoding.UTF8.GetString(current!.Content.Span));
        Assert.Equal(results[winner], current.Version);
    }

    [Fact]
    public async Task SwapAsync_TileTakenOverAtItsVersion_ReplacesOnceAndStaleVersionFails()
    {
        var store = new BlobLogObjectStore(await azurite.NewContainerAsync());
        await store.CreateAsync("tile/0/001.p/3", new byte[] { 1 });
        var leftover = (await store.GetAsync("tile/0/001.p/3"))!.Version;

        var taken = await store.SwapAsync("tile/0/001.p/3", new byte[] { 2, 2 }, leftover);
        var late = await store.SwapAsync("tile/0/001.p/3", new byte[] { 3 }, leftover);

        Assert.NotNull(taken);
        Assert.Null(late);
        Assert.Equal(new byte[] { 2, 2 }, (await store.GetAsync("tile/0/001.p/3"))!.Content.ToArray());
    }

    [Fact]
    public async Task Uploads_SetContentTypeAndCacheControlByObjectKind()
    {
        var container = await azurite.NewContainerAsync();
        var store = new BlobLogObjectStore(container);
        await store.SwapAsync("checkpoint", "c"u8.ToArray(), expectedVersion: null);
        await store.CreateAsync("tile/0/000", new byte[32]);
        await store.CreateAsync("tile/entries/000", new byte[4]);

        var checkpoint = (await container.GetBlobClient("checkpoint").GetPropertiesAsync()).Value;
        var tile = (await container.GetBlobClient("tile/0/000").GetPropertiesAsync()).Value;
        var entries = (await container.GetBlobClient("tile/entries/000").GetPropertiesAsync()).Value;

        Assert.Equal(("text/plain; charset=utf-8", "public, max-age=5"), (checkpoint.ContentType, checkpoint.CacheControl));
        Assert.Equal(("application/octet-stream", "public, max-age=31536000, immutable"), (tile.ContentType, tile.CacheControl));
        Assert.Equal(("application/octet-stream", "public, max-age=31536000, immutable"), (entries.ContentType, entries.CacheControl));
    }

    [Fact]
    public async Task Prefix_KeepsTwoLogsInOneContainerApart()
    {
        var container = await azurite.NewContainerAsync();
        var main = new BlobLogObjectStore(container, "logs/main/");
        var audit = new BlobLogObjectStore(container, "logs/audit");

        await main.CreateAsync("checkpoint", "main"u8.ToArray());
        await audit.CreateAsync("checkpoint", "audit"u8.ToArray());

        Assert.Equal("main"u8.ToArray(), (await main.GetAsync("checkpoint"))!.Content.ToArray());
        Assert.Equal("audit"u8.ToArray(), (await audit.GetAsync("checkpoint"))!.Content.ToArray());
        Assert.True(await container.GetBlobClient("logs/main/checkpoint").ExistsAsync());
        Assert.Equal("text/plain; charset=utf-8", (await container.GetBlobClient("logs/audit/checkpoint").GetPropertiesAsync()).Value.ContentType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/checkpoint")]
    [InlineData("tile//0")]
    [InlineData("tile/../checkpoint")]
    public async Task InvalidPath_ThrowsArgumentException(string path)
    {
        var store = new BlobLogObjectStore(await azurite.NewContainerAsync());

        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync(path).AsTask());
    }
}
