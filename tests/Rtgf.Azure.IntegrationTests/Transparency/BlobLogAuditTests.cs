using System.Globalization;
using System.Text;
using Rtgf.Azure.Transparency;
using Rtgf.Core.Signing;
using Rtgf.Testing;
using Rtgf.Transparency.Audit;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;

namespace Rtgf.Azure.IntegrationTests.Transparency;

/// <summary>The log audit over Blob storage: the listing behind the immutability check, and corruption written as blobs.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobLogAuditTests(AzuriteFixture azurite)
{
    private const string Origin = "rtgf.test/blob-audit";

    [Fact]
    public async Task Audit_LogWrittenToBlobs_IsClean_ThenAChangedStoredPartialAndAFlippedTileAreFound()
    {
        using var signer = LocalDevelopmentSigner.Create();
        var store = new BlobLogObjectStore(await azurite.NewContainerAsync(), "logs/main");
        var integrator = new LogIntegrator(store, Origin, signer);
        await integrator.IntegrateAsync(Batch(0, 300));
        await integrator.IntegrateAsync(Batch(300, 400));
        var auditor = new LogAuditor(new StoreObjectSource(store), [integrator.VerifierKey], Origin, store);

        var clean = await auditor.AuditAsync();
        await Flip(store, "tile/0/001.p/44", 0);
        await Flip(store, "tile/0/000", 32 * 200);
        var corrupted = await auditor.AuditAsync();

        Assert.True(clean.IsClean, string.Join('\n', clean.Findings));
        Assert.Equal(700, clean.EntriesChecked);
        Assert.Equal(3, clean.StoredPartialsChecked); // tile/0/001.p/44, tile/entries/001.p/44, tile/1/000.p/1: found by listing blobs
        Assert.Equal(
            [(LogAuditCodes.TileHashMismatch, "tile/0/000"), (LogAuditCodes.ObjectChanged, "tile/0/001.p/44")],
            corrupted.Findings.Select(f => (f.Code, f.Path)));
    }

    [Fact]
    public async Task ListAsync_NamesRelativeToThePrefix_NothingBeforeTheFirstWrite()
    {
        var container = await azurite.NewContainerAsync();
        await container.DeleteIfExistsAsync();
        var store = new BlobLogObjectStore(container, "logs/main");

        var before = await store.ListAsync("tile/").ToListAsync();
        await store.CreateAsync("tile/0/000.p/1", new byte[32]);
        await store.CreateAsync("checkpoint", "x\n"u8.ToArray());
        var after = await store.ListAsync("tile/").ToListAsync();

        Assert.Empty(before);
        Assert.Equal(["tile/0/000.p/1"], after);
    }

    private static IReadOnlyList<ReadOnlyMemory<byte>> Batch(int start, int count) =>
        [.. Enumerable.Range(start, count).Select(n => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"snapshot\",\"n\":{n}}}")))];

    private static async Task Flip(BlobLogObjectStore store, string path, int offset)
    {
        var stored = (await store.GetAsync(path))!;
        var bytes = stored.Content.ToArray();
        bytes[offset] ^= 0x80;
        Assert.NotNull(await store.SwapAsync(path, bytes, stored.Version));
    }
}
