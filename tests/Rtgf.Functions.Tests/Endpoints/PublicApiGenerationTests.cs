using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Functions.Tests.Support;
using Rtgf.Register;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>
/// Generations: a new publication is picked up at the next check (at most every RefreshSeconds), swapped in without
/// disturbing cursors pinned to the previous one; a cold instance serves no cursor of a build it never served.
/// Its own world: it publishes a change.
/// </summary>
public sealed class PublicApiGenerationTests(PublishedWorldFixture world) : IClassFixture<PublishedWorldFixture>
{
    [Fact]
    public async Task PagingToTheEnd_WhileAPublicationSwapsTheView_HasNoDuplicatesOrGaps_AndTheNextListingShowsTheNewBuild()
    {
        using var client = world.CreateClient();
        var (expected, _) = await client.PageAllAsync("/v1/components?limit=500");
        var first = await client.GetObjectAsync("/v1/components?limit=5");
        var buildA = (string)first["buildId"]!;
        Assert.Equal(world.Publications[0].BuildId, buildA);

        // A change is published; within RefreshSeconds the instance does not even look.
        var publication = await world.PublishChangeAsync("qualification-superseded");
        Assert.NotEqual(buildA, publication.BuildId);
        Assert.Equal(buildA, (string)(await client.GetObjectAsync("/v1/stats"))["buildId"]!);

        // After it, a request starts the check in the background; awaiting the single flight makes the swap observable.
        world.Clock.Advance(TimeSpan.FromSeconds(10));
        _ = await client.GetObjectAsync("/v1/stats");
        await world.Generations.RefreshAsync();
        Assert.Equal(publication.BuildId, world.Generations.CurrentBuildId);

        // The pinned cursor finishes generation A's listing: every component of A exactly once, in order.
        var items = first["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        var (rest, builds) = await client.PageAllAsync((string)first["next"]!);
        items.AddRange(rest);
        Assert.All(builds, b => Assert.Equal(buildA, b));
        Assert.Equal(expected.Codes(), items.Codes());

        // A new listing is cut from the new generation, which shows the change.
        var fresh = await client.GetObjectAsync("/v1/components?limit=500");
        Assert.Equal(publication.BuildId, (string)fresh["buildId"]!);
        Assert.NotEqual(
            expected.Select(i => i.ToJsonString()),
            fresh["items"]!.AsArray().Select(i => i!.ToJsonString()));
    }

    [Fact]
    public async Task AColdInstance_AnswersExpiredForAPinnedBuildItNeverServed_EvenOneThatIsStored()
    {
        var loader = world.Services.GetRequiredService<RegisterLoader>();
        using var other = new RegisterGenerations(loader, new RegisterOptions(), world.Clock, NullLogger<RegisterGenerations>.Instance);
        var hex = world.Publications[0].BuildId["sha256:".Length..];

        var stored = await other.AcquirePinnedAsync(hex);
        var unknown = await other.AcquirePinnedAsync(new string('0', 64));

        Assert.Equal(RegisterOutcome.Expired, stored.Outcome);
        Assert.Null(stored.Lease);
        Assert.Equal(RegisterOutcome.Expired, unknown.Outcome);
        Assert.Null(other.CurrentBuildId);
    }

    [Fact]
    public async Task ConcurrentFirstRequests_WaitForOneLoad_AndShareItsGeneration()
    {
        using var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var instance = new RegisterGenerations(
            world.Services.GetRequiredService<RegisterLoader>(), new RegisterOptions(), world.Clock, factory.CreateLogger<RegisterGenerations>());

        var leases = (await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () => await instance.AcquireCurrentAsync())))).Select(a => a.Lease).ToArray();

        try
        {
            Assert.All(leases, l => Assert.Same(leases[0]!.View, l!.View));
            Assert.Single(logs.Entries, e => e.Message.Contains("is served", StringComparison.Ordinal));
            Assert.Equal(instance.CurrentBuildId, leases[0]!.View.BuildId);
        }
        finally
        {
            foreach (var lease in leases)
            {
                lease?.Dispose();
            }
        }
    }
}
