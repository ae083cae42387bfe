using System.Security.Cryptography;
using Azure;
using Rtgf.Azure.Storage.Blobs;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Storage.Blobs;

[Collection(AzuriteCollection.Name)]
public sealed class BlobClientTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Upload_ThenDownload_RoundTripsBytesPropertiesAndMetadata()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("snapshots/tga/2026-11-22.json");
        var content = BinaryData.FromString("{\"records\":[1,2,3]}");

        var uploaded = await blob.UploadAsync(content, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json", CacheControl = "public, max-age=31536000, immutable" },
            Metadata = new Dictionary<string, string> { ["digest"] = "sha256-abc", ["source"] = "tga" },
        });
        var downloaded = (await blob.DownloadContentAsync()).Value;
        var properties = (await blob.GetPropertiesAsync()).Value;

        Assert.Equal(content.ToArray(), downloaded.Content.ToArray());
        Assert.Equal("application/json", downloaded.Details.ContentType);
        Assert.Equal("public, max-age=31536000, immutable", properties.CacheControl);
        Assert.Equal("sha256-abc", properties.Metadata["digest"]);
        Assert.Equal("tga", properties.Metadata["source"]);
        Assert.Equal(content.ToArray().Length, properties.ContentLength);
        Assert.Equal(uploaded.Value.ETag, properties.ETag);
#pragma warning disable CA5351 // The service reports Content-MD5 for integrity; the test checks it, nothing relies on MD5 for security.
        Assert.Equal(MD5.HashData(content.ToArray()), uploaded.Value.ContentHash);
#pragma warning restore CA5351
    }

    [Fact]
    public async Task CreateOnlyUpload_Twice_SecondFailsAndFirstContentStays()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("tile/0/000");
        await blob.UploadAsync(BinaryData.FromString("first"), new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(BinaryData.FromString("second"), new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly }));

        Assert.Equal(409, error.Status);
        Assert.Equal("BlobAlreadyExists", error.ErrorCode);
        Assert.Equal("first", (await blob.DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task UploadWithoutOverwrite_WhenExists_Fails()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("x");
        await blob.UploadAsync(BinaryData.FromString("1"));

        await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("2")));
        await blob.UploadAsync(BinaryData.FromString("3"), overwrite: true);

        Assert.Equal("3", (await blob.DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task CompareAndSwap_CurrentETagWins_StaleETagFails412()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("checkpoint");
        var v1 = (await blob.UploadAsync(BinaryData.FromString("size 1"))).Value.ETag;

        var v2 = (await blob.UploadAsync(BinaryData.FromString("size 2"), new BlobUploadOptions { Conditions = BlobRequestConditions.MatchETag(v1) })).Value.ETag;
        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(BinaryData.FromString("size 3 from a stale writer"), new BlobUploadOptions { Conditions = BlobRequestConditions.MatchETag(v1) }));

        Assert.NotEqual(v1, v2);
        Assert.Equal(412, error.Status);
        Assert.Equal("ConditionNotMet", error.ErrorCode);
        Assert.Equal("size 2", (await blob.DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task CompareAndSwap_ConcurrentWritersFromOneETag_ExactlyOneWins()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("checkpoint");
        var start = (await blob.UploadAsync(BinaryData.FromString("0"))).Value.ETag;

        var attempts = Enumerable.Range(1, 8).Select(async i =>
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromString(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), new BlobUploadOptions { Conditions = BlobRequestConditions.MatchETag(start) });
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                return false;
            }
        });
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(won => won));
    }

    [Fact]
    public async Task DownloadRange_ReturnsThoseBytesAnd206()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("entries");
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await blob.UploadAsync(new BinaryData(bytes));

        var middle = await blob.DownloadContentAsync(new HttpRange(10, 20));
        var tail = await blob.DownloadContentAsync(new HttpRange(250));

        Assert.Equal(206, middle.GetRawResponse().Status);
        Assert.Equal(bytes[10..30], middle.Value.Content.ToArray());
        Assert.Equal("bytes 10-29/256", middle.Value.ContentRange);
        Assert.Equal(256, middle.Value.Details.ContentLength);
        Assert.Equal(bytes[250..], tail.Value.Content.ToArray());
    }

    [Fact]
    public async Task DownloadRange_BeyondTheEnd_Throws416()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("short");
        await blob.UploadAsync(BinaryData.FromString("abc"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadContentAsync(new HttpRange(100, 5)));

        Assert.Equal(416, error.Status);
    }

    [Fact]
    public async Task ConditionalDownload_WithStaleETag_Throws412()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("b");
        var first = (await blob.UploadAsync(BinaryData.FromString("1"))).Value.ETag;
        await blob.UploadAsync(BinaryData.FromString("2"), overwrite: true);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadContentAsync(conditions: new BlobRequestConditions { IfMatch = first }));

        Assert.Equal(412, error.Status);
    }

    [Fact]
    public async Task GetProperties_Missing_Throws404WithCodeFromHeader()
    {
        var container = await azurite.NewContainerAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => container.GetBlobClient("absent").GetPropertiesAsync());

        Assert.Equal(404, error.Status);
        Assert.Equal("BlobNotFound", error.ErrorCode);
        Assert.False(await container.GetBlobClient("absent").ExistsAsync());
    }

    [Fact]
    public async Task Delete_RemovesBlob_DeleteIfExistsReportsIt_DeleteMissingThrows404()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("d");
        await blob.UploadAsync(BinaryData.FromString("x"));

        await blob.DeleteAsync();

        Assert.False(await blob.ExistsAsync());
        Assert.False(await blob.DeleteIfExistsAsync());
        Assert.Equal(404, (await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync())).Status);
    }

    [Fact]
    public async Task Delete_WithStaleETag_Throws412AndKeepsTheBlob()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("keep");
        var stale = (await blob.UploadAsync(BinaryData.FromString("1"))).Value.ETag;
        await blob.UploadAsync(BinaryData.FromString("2"), overwrite: true);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync(new BlobRequestConditions { IfMatch = stale }));

        Assert.Equal(412, error.Status);
        Assert.True(await blob.ExistsAsync());
    }

    [Theory]
    [InlineData("a b/c d.json")]
    [InlineData("Ōtautahi/日本/file")]
    [InlineData("q?x=1&y=2#frag")]
    [InlineData("100%+plus")]
    public async Task Names_WithSpecialCharacters_RoundTripAndList(string name)
    {
        var container = await azurite.NewContainerAsync();

        await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(name));

        Assert.Equal(name, (await container.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToString());
        var listed = new List<string>();
        await foreach (var item in container.GetBlobsAsync())
        {
            listed.Add(item.Name);
        }

        Assert.Equal([name], listed);
    }

    [Fact]
    public void DotSegmentNames_AreRefusedClientSide()
    {
        var container = azurite.BlobService().GetBlobContainerClient("any");

        Assert.Throws<ArgumentException>(() => container.GetBlobClient("tile/../checkpoint"));
    }

    [Fact]
    public async Task EmptyBlob_UploadsAndDownloads()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("empty");

        await blob.UploadAsync(BinaryData.Empty);

        Assert.Empty((await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(0, (await blob.GetPropertiesAsync()).Value.ContentLength);
    }

    [Fact]
    public async Task StreamingDownload_ReadsALargeBlobWithoutBuffering()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("large");
        var bytes = new byte[5 * 1024 * 1024];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 31);
        }

        await blob.UploadAsync(new MemoryStream(bytes), new BlobUploadOptions());
        using var result = (await blob.DownloadStreamingAsync()).Value;
        using var copy = new MemoryStream();
        await result.Content.CopyToAsync(copy);

        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(copy.ToArray()));
        Assert.Equal(bytes.Length, result.Details.ContentLength);
    }

    [Fact]
    public async Task Upload_FromNonSeekableStream_IsBufferedAndStored()
    {
        var container = await azurite.NewContainerAsync();
        var blob = container.GetBlobClient("piped");
        var bytes = new byte[70_000];
        bytes.AsSpan().Fill(7);

        await blob.UploadAsync(new ForwardOnlyStream(bytes), new BlobUploadOptions());

        Assert.Equal(bytes, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(count, Math.Min(4096, data.Length - _position));
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
