using System.Text.RegularExpressions;
using Rtgf.Compiler;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>
/// ADR 0011's promise, tested whole: a crash at any write (record rows and batches, build-store documents, log objects, lease
/// acquire and release), before or after the store applied it, followed by a fresh delivery, publishes exactly what a run
/// without a crash publishes; so does a second crash during that retry. In memory, one write at a time, so that write n is
/// the same write on every run (the sweep asserts it).
/// </summary>
public sealed partial class PublisherCrashTests
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

    /// <summary>Write names without certified key ids (each attempt certifies a fresh key, whose id names its row and journal batch).</summary>
    private static List<string> Unkeyed(IEnumerable<string> names) => [.. names.Select(n => KeyId().Replace(n, "$1<kid>"))];

    [GeneratedRegex("(certified/|jwks-)[A-Za-z0-9_-]{43}")]
    private static partial Regex KeyId();

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

    private static Task RunAsync(CrashWorld world, Operation operation, CrashBudget? budget) => operation switch
    {
        Operation.FirstBuild => world.Publisher(budget).PublishAsync(BuildCompilation.ToStored(First), First),
        Operation.RevokingBuild => world.Publisher(budget).PublishAsync(BuildCompilation.ToStored(Revoking), Revoking),
        Operation.ManualRevocation => world.Publisher(budget).RevokeAsync(Alpha.TokenId, "issued in error", "operator-7"),
        Operation.Freeze => world.Freeze(budget).FreezeAsync(Revoking.BuildId, "qa found a regression"),
        Operation.ClearFreeze => world.Freeze(budget).ClearAsync("investigated", "operator-1"),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };
}
