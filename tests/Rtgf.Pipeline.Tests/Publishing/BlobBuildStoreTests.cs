using Rtgf.Azure.Pipeline.Publishing;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Publishing;

[Collection(PublishingCollection.Name)]
public sealed class BlobBuildStoreTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("plans/a.", "ends with '.'")]
    [InlineData("plans/../manifest.json", "'..' path segment")]
    [InlineData("plans/\u0007bell", "control character")]
    public async Task PutDocumentAsync_BadBlobName_IsRefusedBeforeStorage(string path, string reason)
    {
        var container = azurite.BlobService().GetBlobContainerClient(azurite.UniqueName("builds"));
        var store = new BlobBuildStore(container);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.PutDocumentAsync(path, new byte[] { 1 }));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(await container.ExistsAsync()); // refused before even the container was created
    }

    [Fact]
    public async Task Reads_OnAFreshStore_FindNothingAndCreateNothing()
    {
        var container = azurite.BlobService().GetBlobContainerClient(azurite.UniqueName("builds"));
        var store = new BlobBuildStore(container);

        Assert.Null(await store.GetDocumentAsync("plans/p.json"));
        Assert.Null(await store.GetAsync("sha256:" + new string('0', 64)));

        Assert.False(await container.ExistsAsync());
    }

    [Fact]
    public async Task PutDocumentAsync_SameBytesTwice_IsANoOp_DifferentBytesAreRefused()
    {
        var container = azurite.BlobService().GetBlobContainerClient(azurite.UniqueName("builds"));
        var store = new BlobBuildStore(container);

        await store.PutDocumentAsync("plans/p.json", new byte[] { 1, 2 });
        await store.PutDocumentAsync("plans/p.json", new byte[] { 1, 2 });
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.PutDocumentAsync("plans/p.json", new byte[] { 3 }));

        Assert.Equal(new byte[] { 1, 2 }, (await store.GetDocumentAsync("plans/p.json"))?.ToArray());
        Assert.Equal(["plans/p.json"], await BlobNames.ListAsync(container));
    }
}
