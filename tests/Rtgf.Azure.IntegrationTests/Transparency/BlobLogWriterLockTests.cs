using Rtgf.Azure.Transparency;
using Rtgf.Testing;
using Rtgf.Transparency.Integration;

namespace Rtgf.Azure.IntegrationTests.Transparency;

[Collection(AzuriteCollection.Name)]
public sealed class BlobLogWriterLockTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task TryAcquireAsync_FreshContainerThenHeld_SecondWriterGetsNullUntilReleased()
    {
        var container = azurite.BlobService().GetBlobContainerClient(azurite.UniqueName("lk"));
        var first = new BlobLogWriterLock(container, Eventually.RealTime, "logs/main");
        var second = new BlobLogWriterLock(container, Eventually.RealTime, "logs/main");

        var lease = await first.TryAcquireAsync(Duration); // creates the container and the lock blob
        var contended = await second.TryAcquireAsync(Duration);
        await first.ReleaseAsync(lease!);
        var after = await second.TryAcquireAsync(Duration);

        Assert.NotNull(lease);
        Assert.Null(contended);
        Assert.NotNull(after);
        Assert.NotEqual(lease, after);
        Assert.True(await container.GetBlobClient("logs/main/writer.lock").ExistsAsync());
    }

    [Fact]
    public async Task TryRenewAsync_AfterBreakAndReacquire_FalseForTheOldHolderTrueForTheNew()
    {
        var container = await azurite.NewContainerAsync("lk");
        var writerLock = new BlobLogWriterLock(container, Eventually.RealTime);
        var old = (await writerLock.TryAcquireAsync(Duration))!;
        Assert.True(await writerLock.TryRenewAsync(old));

        await writerLock.BreakAsync();
        var current = (await writerLock.TryAcquireAsync(Duration))!;

        Assert.False(await writerLock.TryRenewAsync(old));
        Assert.True(await writerLock.TryRenewAsync(current));
        await writerLock.ReleaseAsync(old); // a lost lease releases nothing
        Assert.Null(await writerLock.TryAcquireAsync(Duration));
    }

    [Fact]
    public async Task AcquireAsync_HeldByAnother_WaitsForItsRelease()
    {
        var container = await azurite.NewContainerAsync("lk");
        var writerLock = new BlobLogWriterLock(container, Eventually.RealTime);
        var holder = (await LogWriterLease.TryAcquireAsync(writerLock, Duration))!;

        var waiting = LogWriterLease.AcquireAsync(writerLock, TimeSpan.FromSeconds(30), Duration);
        Assert.False(waiting.IsCompleted);
        await holder.DisposeAsync();
        await using var next = await waiting;

        await next.EnsureHeldAsync();
        Assert.Null(await writerLock.TryAcquireAsync(Duration));
    }
}
