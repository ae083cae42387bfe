using Azure;
using Rtgf.Azure.Storage.Blobs;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Storage.Blobs;

[Collection(AzuriteCollection.Name)]
public sealed class BlobContainerClientTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateIfNotExists_Twice_SucceedsAndExists()
    {
        var container = azurite.BlobService().GetBlobContainerClient(azurite.UniqueName("c"));
        Assert.False(await container.ExistsAsync());

        await container.CreateIfNotExistsAsync();
        await container.CreateIfNotExistsAsync();

        Assert.True(await container.ExistsAsync());
    }

    [Fact]
    public async Task Create_WhenExists_ThrowsContainerAlreadyExists()
    {
        var container = await azurite.NewContainerAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => container.CreateAsync());

        Assert.Equal(409, error.Status);
        Assert.Equal("ContainerAlreadyExists", error.ErrorCode);
    }

    [Fact]
    public async Task Delete_RemovesContainer_ThenDeleteIfExistsIsFalse_AndDeleteThrows404()
    {
        var container = await azurite.NewContainerAsync();

        await container.DeleteAsync();

        Assert.False(await container.ExistsAsync());
        Assert.False(await container.DeleteIfExistsAsync());
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => container.DeleteAsync());
        Assert.Equal(404, error.Status);
        Assert.Equal("ContainerNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task GetBlobs_WithPrefix_ReturnsOnlyMatchesInNameOrder()
    {
        var container = await azurite.NewContainerAsync();
        foreach (var name in new[] { "tile/0/001", "tile/0/000", "tile/1/000", "checkpoint", "tiles-other" })
        {
            await container.UploadBlobAsync(name, BinaryData.FromString(name));
        }

        var names = await NamesAsync(container.GetBlobsAsync(prefix: "tile/"));

        Assert.Equal(["tile/0/000", "tile/0/001", "tile/1/000"], names);
    }

    [Fact]
    public async Task GetBlobs_PagesFollowMarkersUntilAllAreListed()
    {
        var container = await azurite.NewContainerAsync();
        for (var i = 0; i < 7; i++)
        {
            await container.UploadBlobAsync($"b{i}", BinaryData.FromString("x"));
        }

        var pageSizes = new List<int>();
        var all = new List<string>();
        await foreach (var page in container.GetBlobsAsync().AsPages(pageSizeHint: 3))
        {
            pageSizes.Add(page.Values.Count);
            all.AddRange(page.Values.Select(b => b.Name));
        }

        Assert.Equal([3, 3, 1], pageSizes);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"b{i}"), all);
    }

    [Fact]
    public async Task GetBlobs_IncludeMetadata_CarriesMetadataAndProperties()
    {
        var container = await azurite.NewContainerAsync();
        await container.GetBlobClient("snap").UploadAsync(BinaryData.FromString("12345"), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json", CacheControl = "no-cache" },
            Metadata = new Dictionary<string, string> { ["source"] = "tga" },
        });

        var item = Assert.Single(await ItemsAsync(container.GetBlobsAsync(includeMetadata: true)));

        Assert.Equal("tga", item.Metadata["source"]);
        Assert.Equal(5, item.Properties.ContentLength);
        Assert.Equal("application/json", item.Properties.ContentType);
        Assert.Equal("no-cache", item.Properties.CacheControl);
        Assert.NotEqual(default, item.Properties.ETag);
    }

    private static async Task<List<string>> NamesAsync(AsyncPageable<BlobItem> items) => (await ItemsAsync(items)).Select(i => i.Name).ToList();

    private static async Task<List<BlobItem>> ItemsAsync(AsyncPageable<BlobItem> items)
    {
        var list = new List<BlobItem>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
