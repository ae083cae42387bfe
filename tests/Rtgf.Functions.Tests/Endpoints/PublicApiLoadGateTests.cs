using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Functions.Tests.Support;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Register;
using Rtgf.Register.Search;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>
/// One register load at a time per instance: a cursor's rebuild and the background refresh never load at once (two
/// registers in memory), a request for the build being loaded shares that load, and a request never waits for a load of
/// another build. Loads are held open at their build read, so nothing here depends on timing.
/// Its own world: it publishes five changes.
/// </summary>
public sealed class PublicApiLoadGateTests(PublishedWorldFixture world) : IClassFixture<PublishedWorldFixture>
{
    [Fact]
    public async Task ARebuildAndARefresh_NeverLoadAtOnce_AndTheRefreshIsTakenUpWhenTheRebuildEnds()
    {
        var builds = new HeldBuildStore(world.Services.GetRequiredService<IBuildStore>());
        var loader = new RegisterLoader(
            world.Services.GetRequiredService<ITokenRegistry>(), builds, world.Services.GetRequiredService<ISnapshotStore>(), "https://rtgf.test", LuceneCatalogueSearch.Build);
        using var instance = new RegisterGenerations(loader, new RegisterOptions { RetainedGenerations = 1 }, world.Clock, NullLogger<RegisterGenerations>.Instance);

        // Builds A..D seen published in turn: D is served, C kept as the one it replaced; A and B are out of memory.
        await instance.RefreshAsync();
        var a = world.Publications[^1];
        var b = await world.PublishChangeAsync("qualification-superseded");
        await instance.RefreshAsync();
        var c = await world.PublishChangeAsync("scope-removed");
        await instance.RefreshAsync();
        var d = await world.PublishChangeAsync("rto-cancelled");
        await instance.RefreshAsync();
        Assert.Equal(d.BuildId, instance.CurrentBuildId);
        var readsBefore = builds.Reads.Count;

        // A cursor of A starts a rebuild, held open at its build read.
        builds.Hold();
        var rebuildA = instance.AcquirePinnedAsync(Hex(a)).AsTask();
        await builds.Reached;

        // Meanwhile: another cursor of A shares that load; a cursor of B is told to retry (no second load, no wait);
        // a kept generation (C) is served at once.
        var sharedA = instance.AcquirePinnedAsync(Hex(a)).AsTask();
        var cursorB = await instance.AcquirePinnedAsync(Hex(b));
        Assert.Equal(RegisterOutcome.Unavailable, cursorB.Outcome);
        using (var kept = (await instance.AcquirePinnedAsync(Hex(c))).Lease)
        {
            Assert.Equal(c.BuildId, kept?.View.BuildId);
        }

        // E is published and the check is due: the check finishes without starting a second load while A's is open.
        var e = await world.PublishChangeAsync("qualification-superseded");
        world.Clock.Advance(TimeSpan.FromSeconds(10));
        var check = instance.RefreshAsync();
        Assert.Same(check, await Task.WhenAny(check, builds.ReadOf(e.BuildId)));
        Assert.Equal(d.BuildId, instance.CurrentBuildId);
        Assert.Equal([a.BuildId], builds.Reads.Skip(readsBefore));

        // A's load ends: both cursors get the one rebuilt generation, and the put-off check loads E by itself (the clock
        // did not move, so nothing else would start it) — after A's load, never beside it.
        builds.Release();
        var acquiredA = await Task.WhenAll(rebuildA, sharedA);
        Assert.All(acquiredA, r => Assert.Equal(RegisterOutcome.Acquired, r.Outcome));
        Assert.Same(acquiredA[0].Lease!.View, acquiredA[1].Lease!.View);
        Assert.Equal(a.BuildId, acquiredA[0].Lease!.View.BuildId);
        foreach (var r in acquiredA)
        {
            r.Lease!.Dispose();
        }

        await builds.ReadOf(e.BuildId);
        await instance.RefreshAsync();
        Assert.Equal(e.BuildId, instance.CurrentBuildId);
        Assert.Equal([a.BuildId, e.BuildId], builds.Reads.Skip(readsBefore));
    }

    [Fact]
    public async Task DuringARefreshLoad_ACursorOfThatBuildSharesIt_AndACursorOfAnotherOldBuildIsToldToRetry()
    {
        var builds = new HeldBuildStore(world.Services.GetRequiredService<IBuildStore>());
        var loader = new RegisterLoader(
            world.Services.GetRequiredService<ITokenRegistry>(), builds, world.Services.GetRequiredService<ISnapshotStore>(), "https://rtgf.test", LuceneCatalogueSearch.Build);
        using var instance = new RegisterGenerations(loader, new RegisterOptions { RetainedGenerations = 1 }, world.Clock, NullLogger<RegisterGenerations>.Instance);

        // Three builds seen in turn: the first is out of memory.
        await instance.RefreshAsync();
        var first = world.Publications[^1];
        await world.PublishChangeAsync("scope-removed");
        world.Clock.Advance(TimeSpan.FromSeconds(10));
        await instance.RefreshAsync();
        await world.PublishChangeAsync("rto-cancelled");
        world.Clock.Advance(TimeSpan.FromSeconds(10));
        await instance.RefreshAsync();

        // A newer publication: the refresh's load is held open at its build read.
        var latest = await world.PublishChangeAsync("qualification-superseded");
        world.Clock.Advance(TimeSpan.FromSeconds(10));
        builds.Hold();
        var readsBefore = builds.Reads.Count;
        var check = instance.RefreshAsync();
        await builds.Reached;

        // A cursor of the build being loaded shares that load; a cursor of an old build out of memory does not load beside it.
        var sharing = instance.AcquirePinnedAsync(Hex(latest)).AsTask();
        var old = await instance.AcquirePinnedAsync(Hex(first));
        Assert.Equal(RegisterOutcome.Unavailable, old.Outcome);
        Assert.False(sharing.IsCompleted);

        builds.Release();
        await check;
        var shared = await sharing;
        Assert.Equal(RegisterOutcome.Acquired, shared.Outcome);
        using var lease = shared.Lease!;
        Assert.Equal(latest.BuildId, instance.CurrentBuildId);
        Assert.Equal(latest.BuildId, lease.View.BuildId);
        Assert.Equal([latest.BuildId], builds.Reads.Skip(readsBefore));
    }

    [Fact]
    public async Task APutOffCheck_GoesBeforeCursorsOfOldBuilds_SoTheyCannotKeepTheInstanceOnAnOldGeneration()
    {
        var builds = new HeldBuildStore(world.Services.GetRequiredService<IBuildStore>());
        var registry = new HeldLatestRegistry(world.Services.GetRequiredService<ITokenRegistry>());
        var loader = new RegisterLoader(registry, builds, world.Services.GetRequiredService<ISnapshotStore>(), "https://rtgf.test", LuceneCatalogueSearch.Build);
        using var instance = new RegisterGenerations(loader, new RegisterOptions { RetainedGenerations = 1 }, world.Clock, NullLogger<RegisterGenerations>.Instance);

        // Builds A..D seen published in turn: D is served, C kept; A and B are out of memory.
        await instance.RefreshAsync();
        var a = world.Publications[^1];
        var b = await world.PublishChangeAsync("scope-removed");
        await instance.RefreshAsync();
        await world.PublishChangeAsync("rto-cancelled");
        await instance.RefreshAsync();
        var d = await world.PublishChangeAsync("qualification-superseded");
        await instance.RefreshAsync();
        Assert.Equal(d.BuildId, instance.CurrentBuildId);

        // A cursor of A holds the slot; E is published and the due check is put off.
        builds.Hold();
        var rebuildA = instance.AcquirePinnedAsync(Hex(a)).AsTask();
        await builds.Reached;
        var e = await world.PublishChangeAsync("scope-removed");
        world.Clock.Advance(TimeSpan.FromSeconds(10));
        await instance.RefreshAsync();
        Assert.Equal(d.BuildId, instance.CurrentBuildId);

        // A's load ends and the put-off check starts, held at its read of the latest publication. A cursor of B arriving
        // now is told to retry: it must not take the free slot (the check would find B loading and put itself off again).
        registry.Hold();
        builds.Release();
        (await rebuildA).Lease?.Dispose();

        await registry.Reached;
        var readsBefore = builds.Reads.Count;
        var cursorB = await instance.AcquirePinnedAsync(Hex(b));
        Assert.Equal(RegisterOutcome.Unavailable, cursorB.Outcome);

        // The check goes on and loads E; then a cursor of B may rebuild.
        registry.Release();
        await builds.ReadOf(e.BuildId);
        await instance.RefreshAsync();
        Assert.Equal(e.BuildId, instance.CurrentBuildId);
        Assert.Equal([e.BuildId], builds.Reads.Skip(readsBefore));
        using var laterB = (await instance.AcquirePinnedAsync(Hex(b))).Lease;
        Assert.Equal(b.BuildId, laterB?.View.BuildId);
    }

    private static string Hex(Publication publication) => publication.BuildId["sha256:".Length..];

    /// <summary>Passes everything to the registry; after <see cref="Hold"/>, reads of the latest publication wait for <see cref="Release"/>.</summary>
    private sealed class HeldLatestRegistry(ITokenRegistry inner) : ITokenRegistry
    {
        private readonly Lock _gate = new();
        private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource? _released;

        public Task Reached
        {
            get
            {
                lock (_gate)
                {
                    return _reached.Task;
                }
            }
        }

        public void Hold()
        {
            lock (_gate)
            {
                _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
                _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void Release()
        {
            lock (_gate)
            {
                _released?.TrySetResult();
                _released = null;
            }
        }

        public async Task<Publication?> GetLatestPublicationAsync(CancellationToken cancellationToken = default)
        {
            Task? held;
            lock (_gate)
            {
                held = _released?.Task;
                if (held is not null)
                {
                    _reached.TrySetResult();
                }
            }

            if (held is not null)
            {
                await held.WaitAsync(cancellationToken);
            }

            return await inner.GetLatestPublicationAsync(cancellationToken);
        }

        public Task<RegisteredToken?> GetAsync(string tokenId, CancellationToken cancellationToken = default) => inner.GetAsync(tokenId, cancellationToken);

        public Task<IReadOnlyList<RegisteredToken>> GetLatestAsync(string subject, string? family = null, CancellationToken cancellationToken = default) =>
            inner.GetLatestAsync(subject, family, cancellationToken);

        public Task<RegistryPage<RegisteredToken>> ListAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default) =>
            inner.ListAsync(family, cursor, pageSize, cancellationToken);

        public Task<RegistryPage<CatalogEntry>> ListCatalogAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default) =>
            inner.ListCatalogAsync(family, cursor, pageSize, cancellationToken);

        public Task<IReadOnlyList<FamilySummary>> GetFamiliesAsync(CancellationToken cancellationToken = default) => inner.GetFamiliesAsync(cancellationToken);
    }
}
