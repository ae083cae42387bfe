using System.Globalization;
using System.Text.Json;
using Rtgf.Compiler;
using Rtgf.Pipeline.Publishing;
using Rtgf.Testing;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Merkle;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>
/// Deliveries of publish messages at the same moment, as Azure delivers them on several instances: the same build N times, some
/// deliveries crashing at a seeded write (before or after it lands), then a redelivery. Afterwards what is signed and published
/// must match what is stored: the checkpoint's root is the root of the stored tiles and entries, every token the registry lists
/// is the token at its log index, and no token, key or status list is logged twice.
/// </summary>
[Collection(PublishingCollection.Name)]
public sealed class ConcurrentPublicationTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task PublishAsync_SameBuildDeliveredConcurrentlyWithCrashes_OnePublicationProvenByTheLog(int deliveries)
    {
        for (var round = 0; round < 3; round++)
        {
            using var world = await PublishingWorld.CreateAsync(azurite);
            var build = Build(12, $"r{round}");
            var random = new SeededRandom((ulong)(deliveries * 100 + round));
            var budgets = Enumerable.Range(0, deliveries).Select(d => d % 2 == 0 ? null : new CrashBudget(random.Next(0, 60), random.Next(0, 2) == 1)).ToList();

            await Task.WhenAll(budgets.Select(budget => Task.Run(async () =>
            {
                try
                {
                    await world.Publisher(budget, chunkSize: 5).PublishAsync(BuildCompilation.ToStored(build), build);
                }
                catch (InjectedCrashException)
                {
                    // That delivery died; the broker redelivers it below.
                }
            })));
            var publication = await world.Publisher(chunkSize: 5).PublishAsync(BuildCompilation.ToStored(build), build);

            Assert.Equal(12, publication.Issued);
            await AssertPublishedMatchesStoredAsync(world, build, publication.TreeSize);
        }
    }

    [Fact]
    public async Task PublishAsync_TwoBuildsDeliveredConcurrently_SerialiseAndBothProven()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var first = Build(8, "first");
        var second = Build(10, "second");

        // Four deliveries of each, all at once; a delivery that finds the other publication unfinished tries again later.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(d => Task.Run(async () =>
        {
            var build = d % 2 == 0 ? first : second;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await world.Publisher(chunkSize: 4).PublishAsync(BuildCompilation.ToStored(build), build);
                    return;
                }
                catch (PublicationWaitException) when (attempt < 1000)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), Eventually.RealTime);
                }
            }
        })));

        var latest = await world.Registry.GetLatestPublicationAsync();
        Assert.NotNull(latest);
        var entries = await AssertLogProvesItselfAsync(world);
        var tokenIds = PublishingWorld.OfType(entries, "token").Select(e => e.GetProperty("tokenId").GetString()).ToList();
        Assert.Equal(tokenIds.Count, tokenIds.Distinct(StringComparer.Ordinal).Count());
        foreach (var token in first.Tokens.Concat(second.Tokens))
        {
            var stored = await world.Registry.GetAsync(token.TokenId);
            Assert.NotNull(stored);
            Assert.Equal(token.TokenId, entries[(int)stored.LogIndex].GetProperty("tokenId").GetString());
        }
    }

    private static CompileResult Build(int count, string tag) => TestTokens.Build([.. Enumerable.Range(0, count).Select(i => TestTokens.Token(
        "rto-registration", string.Create(CultureInfo.InvariantCulture, $"rto:{i}"), string.Create(CultureInfo.InvariantCulture, $$"""{"name":"{{tag}}-{{i}}"}""")))]);

    private static async Task AssertPublishedMatchesStoredAsync(PublishingWorld world, CompileResult build, long treeSize)
    {
        var entries = await AssertLogProvesItselfAsync(world);
        Assert.Equal(treeSize, entries.Count);

        var tokenEntries = PublishingWorld.OfType(entries, "token").Select(e => e.GetProperty("tokenId").GetString()).ToList();
        Assert.Equal(build.Tokens.Count, tokenEntries.Count);
        Assert.Equal(tokenEntries.Count, tokenEntries.Distinct(StringComparer.Ordinal).Count());
        foreach (var compiled in build.Tokens)
        {
            var token = await world.Registry.GetAsync(compiled.TokenId);
            Assert.NotNull(token);
            Assert.Equal(compiled.TokenId, entries[(int)token.LogIndex].GetProperty("tokenId").GetString());
            Assert.Equal("sha256:" + TestTokens.Hex(System.Text.Encoding.ASCII.GetBytes(token.Jws)), entries[(int)token.LogIndex].GetProperty("tokenDigest").GetString());
        }

        var keys = PublishingWorld.OfType(entries, "jwks").Select(e => e.GetProperty("added")[0].GetString()).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(PublishingWorld.OfType(entries, "revocation"));
    }

    /// <summary>The checkpoint verifies, the stored tiles reproduce its root, and so do the stored entries.</summary>
    private static async Task<List<JsonElement>> AssertLogProvesItselfAsync(PublishingWorld world)
    {
        var state = await new LogIntegrator(world.Log, PublishingWorld.Origin, world.IssuerKey).LoadAsync();
        var size = state.Checkpoint.Size;
        var leaves = new List<byte[]>();
        for (long i = 0; i < size; i++)
        {
            leaves.Add(MerkleHash.Leaf((await world.Reader.GetEntryAsync(i, size)).Span));
        }

        Assert.Equal(state.Checkpoint.RootHash.ToArray(), MerkleHash.Root(leaves));
        return await world.EntriesAsync();
    }
}
