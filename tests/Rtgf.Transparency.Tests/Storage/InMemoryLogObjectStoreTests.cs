using Rtgf.Transparency.Storage;

namespace Rtgf.Transparency.Tests.Storage;

public sealed class InMemoryLogObjectStoreTests
{
    [Fact]
    public async Task CreateAsync_Existing_ReturnsFalseAndKeepsTheObject()
    {
        var store = new InMemoryLogObjectStore();

        Assert.True(await store.CreateAsync("a", new byte[] { 1 }));
        Assert.False(await store.CreateAsync("a", new byte[] { 2 }));
        Assert.Equal(new byte[] { 1 }, (await store.GetAsync("a"))!.Content.ToArray());
    }

    [Fact]
    public async Task SwapAsync_VersionRules_AreExact()
    {
        var store = new InMemoryLogObjectStore();

        Assert.Null(await store.SwapAsync("c", new byte[] { 1 }, "1"));
        var v1 = await store.SwapAsync("c", new byte[] { 1 }, null);
        Assert.NotNull(v1);
        Assert.Null(await store.SwapAsync("c", new byte[] { 2 }, null));
        var v2 = await store.SwapAsync("c", new byte[] { 2 }, v1);
        Assert.NotNull(v2);
        Assert.NotEqual(v1, v2);
        Assert.Null(await store.SwapAsync("c", new byte[] { 3 }, v1));
        Assert.Equal(new StoredObject(default, v2!).Version, (await store.GetAsync("c"))!.Version);
        Assert.Equal(new byte[] { 2 }, (await store.GetAsync("c"))!.Content.ToArray());
    }

    [Fact]
    public async Task CreateAsync_CallerMutatesBuffer_StoredBytesUnchanged()
    {
        var store = new InMemoryLogObjectStore();
        var buffer = new byte[] { 1, 2 };
        await store.CreateAsync("a", buffer);
        buffer[0] = 7;

        Assert.Equal(new byte[] { 1, 2 }, (await store.GetAsync("a"))!.Content.ToArray());
    }

    [Fact]
    public async Task SwapAsync_ConcurrentWritersFromOneVersion_ExactlyOneWins()
    {
        var store = new InMemoryLogObjectStore();
        var v = await store.SwapAsync("c", new byte[] { 0 }, null);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () => await store.SwapAsync("c", new[] { (byte)i }, v))));

        Assert.Single(results, r => r is not null);
        Assert.Equal(["c"], store.Paths);
    }
}
