using Rtgf.Compiler;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>
/// ADR 0011's promise, tested whole: a crash at any write (record rows and batches, build-store documents, log objects, lease
/// acquire and release), before or after the store applied it, followed by a fresh delivery, publishes exactly what a run
/// without a crash publishes; so does a second crash during that retry. In memory, one write at a time, so that write n is
/// the same write on every run (the sweep asserts it).
/// </summary>
public sealed class PublisherCrashTests
{
    public enum Operation
    {
        FirstBuild,
        RevokingBuild,
        ManualRevocation,
        Freeze,
        ClearFreeze,
    }

    /// <summary>Pairs of crash points grow as the square of the writes: the double crash takes every 8th second point.</summary>
    private const int SecondStride = 8;

    private static readonly CompiledToken Alpha = TestTokens.Token("rto-registration", "rto:1", """{"name":"Alpha","status":"current"}""");
    private static readonly CompiledToken Bravo = TestTokens.Token("rto-registration", "rto:2", """{"name":"Bravo","status":"current"}""");
    private static readonly CompiledToken Charlie = TestTokens.Token("training-component", "tc:BSB50120", """{"title":"Diploma"}""");
    private static readonly CompileResult First = TestTokens.Build(Alpha, Bravo, Charlie);

    // Alpha: same facts, kept; Bravo: changed facts, revoked and replaced; Charlie: gone, revoked.
    private static readonly CompileResult Revoking = TestTokens.Build(
        [new BuildInput("test", "sha256:" + new string('1', 64), 2)],
        [TestTokens.Token("rto-registration", "rto:1", """{"status":"current","name":"Alpha"}""", TestTokens.FetchedAt.AddDays(1)),
         TestTokens.Token("rto-registration", "rto:2", """{"name":"Bravo","status":"cancelled"}""", TestTokens.FetchedAt.AddDays(1))]);

    /// <summary>The sweeps crash at every write a clean run makes: the wrappers see all of them, to the last.</summary>
    [Fact]
    public async Task CleanFirstBuild_WritesFromThePlanDocumentToTheLeaseRelease_AreAllCounted()
    {
        var writes = Unkeyed((await CleanRunAsync(Operation.FirstBuild)).Writes);

        Assert.StartsWith("document plans/", writes[0], StringComparison.Ordinal);
        Assert.Equal(["registryhead head/head create", "lease acquire"], writes[1..3]);
        Assert.Contains(writes, w => w.StartsWith("log create tile/entries/", StringComparison.Ordinal));
        Assert.Contains(writes, w => w.EndsWith("/lists-done create", StringComparison.Ordinal));
        Assert.Equal(
            ["tokenfamilies family/rto-registration upsert", "tokenfamilies family/training-component upsert", $"publications publication/{First.BuildId["sha256:".Length..]} create", "registryhead head/head replace", "lease release"],
            writes[^5..]);
    }

    [Theory]
    [InlineData(Operation.FirstBuild, false)]
    [InlineData(Operation.FirstBuild, true)]
    [InlineData(Operation.RevokingBuild, false)]
    [InlineData(Operation.RevokingBuild, true)]
    [InlineData(Operation.ManualRevocation, false)]
    [InlineData(Operation.ManualRevocation, true)]
    [InlineData(Operation.Freeze, false)]
    [InlineData(Operation.Freeze, true)]
    [InlineData(Operation.ClearFreeze, false)]
    [InlineData(Operation.ClearFreeze, true)]
    public async Task CrashAtEveryWrite_ThenRedelivered_PublishesWhatACleanRunPublishes(Operation operation, bool afterWrite)
    {
        var (expected, writes) = await CleanRunAsync(operation);

        for (var crashAt = 0; crashAt < writes.Count; crashAt++)
        {
            using var world = await SetUpAsync(operation);
            var budget = new CrashBudget(crashAt, afterWrite);
            await Assert.ThrowsAsync<InjectedCrashException>(() => RunAsync(world, operation, budget));
            Assert.Equal(Unkeyed(writes.Take(crashAt + 1)), Unkeyed(budget.Names.Take(crashAt + 1))); // the crash point is the same write on every run
            world.LetCrashedLeaseExpire();

            await RunAsync(world, operation, null);

            await AssertPublishedAsync(world, operation, expected, $"crash {(afterWrite ? "after" : "before")} write {crashAt} ({writes[crashAt]})");
        }
    }

    /// <summary>
    /// The same sweep with the production write parallelism: the crash point is a write's name and occurrence (the same write
    /// however the concurrent batches were scheduled); which sibling batches landed before it may vary, and every such
    /// outcome must converge.
    /// </summary>
    [Theory]
    [InlineData(Operation.FirstBuild, false)]
    [InlineData(Operation.FirstBuild, true)]
    [InlineData(Operation.RevokingBuild, false)]
    [InlineData(Operation.RevokingBuild, true)]
    [InlineData(Operation.ManualRevocation, false)]
    [InlineData(Operation.ManualRevocation, true)]
    public async Task CrashAtEveryNamedWrite_ConcurrentWrites_ThenRedelivered_PublishesWhatACleanRunPublishes(Operation operation, bool afterWrite)
    {
        var (expected, writes) = await CleanRunAsync(operation);

        foreach (var (name, occurrence) in Unkeyed(writes).Select((n, i) => (n, Unkeyed(writes.Take(i + 1)).Count(m => m == n))))
        {
            using var world = await SetUpAsync(operation);
            var budget = new CrashBudget(name, occurrence, afterWrite);
            await Assert.ThrowsAsync<InjectedCrashException>(() => RunAsync(world, operation, budget, parallel: true));
            world.LetCrashedLeaseExpire();

            await RunAsync(world, operation, null, parallel: true);

            await AssertPublishedAsync(world, operation, expected, $"crash {(afterWrite ? "after" : "before")} write {name} #{occurrence}, writing concurrently");
        }
    }

    [Theory]
    [InlineData(Operation.FirstBuild)]
    [InlineData(Operation.RevokingBuild)]
    [InlineData(Operation.ManualRevocation)]
    [InlineData(Operation.ClearFreeze)]
    public async Task CrashAgainDuringTheRetry_ThenRedelivered_PublishesWhatACleanRunPublishes(Operation operation)
    {
        var (expected, writes) = await CleanRunAsync(operation);

        // Every first crash point; for each, the second crash at every SecondStride-th write of the retry (offset by the first,
        // so that together they cover every write of the retry) and at its last write, before or after alternating.
        for (var first = 0; first < writes.Count; first++)
        {
            var retryWrites = await RetryWritesAsync(operation, first);
            foreach (var second in Enumerable.Range(0, retryWrites.Count).Where(j => j % SecondStride == first % SecondStride || j == retryWrites.Count - 1))
            {
                using var world = await SetUpAsync(operation);
                await CrashAsync(world, operation, first);
                var retry = new CrashBudget(second, afterWrite: (first + second) % 2 == 0);
                await Assert.ThrowsAsync<InjectedCrashException>(() => RunAsync(world, operation, retry));
                Assert.Equal(Unkeyed(retryWrites.Take(second + 1)), Unkeyed(retry.Names.Take(second + 1)));
                world.LetCrashedLeaseExpire();

                await RunAsync(world, operation, null);

                await AssertPublishedAsync(world, operation, expected, $"crash at write {first} ({writes[first]}), then at write {second} of the retry ({retryWrites[second]})");
            }
        }
    }

    /// <summary>The writes of a retry after a crash at <paramref name="first"/>.</summary>
    private static async Task<IReadOnlyList<string>> RetryWritesAsync(Operation operation, int first)
    {
        using var world = await SetUpAsync(operation);
        await CrashAsync(world, operation, first);
        var counting = new CrashBudget();
        await RunAsync(world, operation, counting);
        return counting.Names;
    }

    private static async Task CrashAsync(CrashWorld world, Operation operation, int at)
    {
        await Assert.ThrowsAsync<InjectedCrashException>(() => RunAsync(world, operation, new CrashBudget(at, afterWrite: at % 2 == 1)));
        world.LetCrashedLeaseExpire();
    }

    /// <summary>The operation once without a crash: what it publishes and every write it makes, in order.</summary>
    private static async Task<(string Published, IReadOnlyList<string> Writes)> CleanRunAsync(Operation operation)
    {
        using var world = await SetUpAsync(operation);
        var counting = new CrashBudget();
        await RunAsync(world, operation, counting);
        Assert.False(counting.Crashed);
        await world.AssertSignedAgreesAsync();
        return (await world.PublishedAsync(), counting.Names);
    }

    private static async Task AssertPublishedAsync(CrashWorld world, Operation operation, string expected, string context)
    {
        var published = await world.PublishedAsync();
        if (published != expected)
        {
            var lines = (Expected: expected.Split('\n'), Actual: published.Split('\n'));
            Assert.Fail($"After a {context}, the published result differs from a clean run's.\nOnly in the clean run:\n  {string.Join("\n  ", lines.Expected.Except(lines.Actual))}\nOnly after the crash:\n  {string.Join("\n  ", lines.Actual.Except(lines.Expected))}");
        }

        await world.AssertSignedAgreesAsync();

        // A further delivery changes nothing.
        await RunAsync(world, operation, null);
        Assert.Equal(expected, await world.PublishedAsync());
    }

    private static List<string> Unkeyed(IEnumerable<string> names) => [.. names.Select(CrashBudget.Unkeyed)];

    private static async Task<CrashWorld> SetUpAsync(Operation operation)
    {
        var world = new CrashWorld();
        if (operation is not Operation.FirstBuild)
        {
            await world.Publisher().PublishAsync(BuildCompilation.ToStored(First), First);
        }

        if (operation is Operation.ClearFreeze)
        {
            await world.Freeze().FreezeAsync(Revoking.BuildId, "qa found a regression");
        }

        return world;
    }

    private static Task RunAsync(CrashWorld world, Operation operation, CrashBudget? budget, bool parallel = false) => operation switch
    {
        Operation.FirstBuild => world.Publisher(budget, parallel).PublishAsync(BuildCompilation.ToStored(First), First),
        Operation.RevokingBuild => world.Publisher(budget, parallel).PublishAsync(BuildCompilation.ToStored(Revoking), Revoking),
        Operation.ManualRevocation => world.Publisher(budget, parallel).RevokeAsync(Alpha.TokenId, "issued in error", "operator-7"),
        Operation.Freeze => world.Freeze(budget).FreezeAsync(Revoking.BuildId, "qa found a regression"),
        Operation.ClearFreeze => world.Freeze(budget).ClearAsync("investigated", "operator-1"),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };
}
