using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Azure.Pipeline.Publishing;
using Rtgf.Azure.Snapshots;
using Rtgf.Pipeline.Registry;
using Rtgf.Register.Search;
using Rtgf.Testing;

namespace Rtgf.Register.Tests;

/// <summary>A first load that fails: the request is told to retry (never an exception), and the load is not retried per request.</summary>
public sealed class RegisterGenerationsTests
{
    [Fact]
    public async Task AFailedFirstLoad_IsUnavailable_AndIsNotRetriedBeforeTheNextCheckIsDue()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
        var registry = new FailingRegistry();

        // The stores are never reached: the registry fails first (their clients make no request until used).
        var container = new BlobContainerClient("UseDevelopmentStorage=true", "never-used");
        var loader = new RegisterLoader(registry, new BlobBuildStore(container), new BlobSnapshotStore(container), "https://rtgf.test", LuceneCatalogueSearch.Build);
        using var generations = new RegisterGenerations(loader, new RegisterOptions { RefreshSeconds = 10 }, clock, NullLogger<RegisterGenerations>.Instance);

        var first = await generations.AcquireCurrentAsync();
        var second = await generations.AcquireCurrentAsync();
        clock.Advance(TimeSpan.FromSeconds(10));
        var third = await generations.AcquireCurrentAsync();

        Assert.Equal(RegisterOutcome.Unavailable, first.Outcome);
        Assert.Equal(RegisterOutcome.Unavailable, second.Outcome);
        Assert.Equal(RegisterOutcome.Unavailable, third.Outcome);
        Assert.All(new[] { first, second, third }, a => Assert.Null(a.Lease));
        Assert.Equal(2, registry.LatestReads);
    }

    /// <summary>A registry whose storage is down: every read of the latest publication fails.</summary>
    private sealed class FailingRegistry : ITokenRegistry
    {
        private int _latestReads;

        public int LatestReads => Volatile.Read(ref _latestReads);

        public Task<Publication?> GetLatestPublicationAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _latestReads);
            throw new InvalidOperationException("storage is down");
        }

        public Task<RegisteredToken?> GetAsync(string tokenId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<RegisteredToken>> GetLatestAsync(string subject, string? family = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RegistryPage<RegisteredToken>> ListAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<FamilySummary>> GetFamiliesAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
