using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rtgf.Compiler;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>The publish stage per delivery: a publication that must wait is re-queued with a delay, never failed (ADR 0014).</summary>
[Collection(PublishingCollection.Name)]
public sealed class PublishStageTests(AzuriteFixture azurite)
{
    private const string Alpha = """{"name":"Alpha"}""";
    private const string AlphaRenamed = """{"name":"Alpha Training"}""";
    private const string Bravo = """{"name":"Bravo"}""";

    [Fact]
    public async Task RunAsync_AnotherBuildIsPublishing_RequeuesADelayedCopyInsteadOfFailing_ThenPublishesAfterItCompletes()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var compiler = new RecordsCompiler();
        var (first, firstCompiled) = await StartUnfinishedPublicationAsync(world, compiler);
        var second = await CompileAsync(world, compiler, "run-2", TestTokens.FetchedAt.AddHours(1), ("rto:1", AlphaRenamed), ("rto:2", Bravo));

        var waiting = await world.PublishStage(compiler).RunAsync(new PublishRequest(second.BuildId));

        Assert.Null(waiting.Publication);
        Assert.Equal(PublicationWaitReason.Busy, waiting.WaitReason);
        Assert.Equal(new PublishRequest(second.BuildId, new PublishWait(world.Clock.GetUtcNow(), 1)), waiting.Requeued);
        Assert.Equal(PublishWaits.InitialDelay, waiting.Delay);

        // The copy arrives on the publish queue as a fresh message: waiting spent no delivery count.
        var delivered = await Eventually.ProbeAsync(
            async () => (await world.PublishQueue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5))).Value, m => m.Length == 1, TimeSpan.FromSeconds(30), "the delayed publish request");
        var message = Assert.Single(delivered);
        Assert.Equal(1, message.DequeueCount);
        var copy = JsonSerializer.Deserialize(message.MessageText, PipelineMessageJson.Default.PublishRequest)!;
        Assert.Equal(waiting.Requeued, copy);

        // Still busy: it waits again, longer, keeping the time it first waited.
        world.Clock.Advance(TimeSpan.FromSeconds(2));
        var again = await world.PublishStage(compiler).RunAsync(copy);
        Assert.Equal((PublicationWaitReason.Busy, 2, TimeSpan.FromSeconds(4)), (again.WaitReason, again.Requeued!.Wait!.Attempts, again.Delay));
        Assert.Equal(copy.Wait!.Since, again.Requeued.Wait.Since);
        Assert.Null(await world.Registry.GetLatestPublicationAsync());

        // The first publication completes (its own message redelivered); the waiting copy then publishes.
        await world.Publisher().PublishAsync(first, firstCompiled);
        var published = await world.PublishStage(compiler).RunAsync(again.Requeued);

        Assert.Equal(second.BuildId, published.Publication?.BuildId);
        Assert.Equal((2L, 1L), (published.Publication!.Issued, published.Publication.Revoked));
        Assert.Equal(second.BuildId, (await world.Registry.GetLatestPublicationAsync())?.BuildId);
    }

    [Fact]
    public async Task RunAsync_WaitedLongerThanTheBound_FailsLoudlyAndQueuesNothing()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var compiler = new RecordsCompiler();
        await StartUnfinishedPublicationAsync(world, compiler);
        var second = await CompileAsync(world, compiler, "run-2", TestTokens.FetchedAt.AddHours(1), ("rto:2", Bravo));
        using var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var stage = world.PublishStage(compiler, factory);

        // Just inside the bound it still waits; at the bound it gives up.
        var inside = await stage.RunAsync(new PublishRequest(second.BuildId, new PublishWait(world.Clock.GetUtcNow() - PublishWaits.GiveUpAfter + TimeSpan.FromSeconds(10), 40)));
        Assert.Equal(TimeSpan.FromSeconds(10), inside.Delay);
        var queued = (await world.PublishQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            stage.RunAsync(new PublishRequest(second.BuildId, new PublishWait(world.Clock.GetUtcNow() - PublishWaits.GiveUpAfter, 41))));

        Assert.IsType<PublicationWaitException>(error.InnerException);
        var logged = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.StartsWith(PipelineLog.PublishWaitExpiredEvent, logged.Message, StringComparison.Ordinal);
        Assert.Contains(second.BuildId, logged.Message, StringComparison.Ordinal);
        Assert.Equal(queued, (await world.PublishQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task RunAsync_Frozen_FailsAsBeforeAndQueuesNothing()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var compiler = new RecordsCompiler();
        var build = await CompileAsync(world, compiler, "run-1", TestTokens.FetchedAt, ("rto:1", Alpha));
        await world.Freeze().FreezeAsync(build.BuildId, "test: frozen");

        await Assert.ThrowsAsync<PublicationFrozenException>(() => world.PublishStage(compiler).RunAsync(new PublishRequest(build.BuildId)));

        Assert.False(await world.PublishQueue.ExistsAsync() && (await world.PublishQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0);
    }

    [Fact]
    public async Task RunAsync_TokensDatedAheadOfOurClock_WaitUntilTheyAreValid_ThenPublishTokensValidForRelyingParties()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var compiler = new RecordsCompiler();

        // A snapshot dated by an upstream clock ten minutes ahead of ours (as TGA snapshots were before ADR 0014).
        var validFrom = world.Clock.GetUtcNow().AddMinutes(10);
        var build = await CompileAsync(world, compiler, "run-1", validFrom, ("rto:1", Alpha));

        var waiting = await world.PublishStage(compiler).RunAsync(new PublishRequest(build.BuildId));

        Assert.Equal(PublicationWaitReason.NotYetValid, waiting.WaitReason);
        Assert.Equal(validFrom - Publisher.AllowedClockSkew - world.Clock.GetUtcNow(), waiting.Delay); // no earlier look: it could not succeed
        Assert.Equal(0, await world.LogSizeAsync());
        Assert.Null(await world.Registry.GetLatestPublicationAsync());

        world.Clock.Advance(waiting.Delay);
        var published = await world.PublishStage(compiler).RunAsync(waiting.Requeued!);

        Assert.Equal(build.BuildId, published.Publication?.BuildId);
        var token = Assert.Single(await world.Registry.GetLatestAsync("rto:1"));
        using var verifier = new Es256TokenVerifier(await world.Keys.GetAsync(), world.Clock);
        var verdict = verifier.Verify(token.Jws);
        Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures.Select(f => f.ToString())));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(5, 32)]
    [InlineData(6, 60)]
    [InlineData(1000, 60)]
    public void Backoff_DoublesFromTwoSecondsUpToAMinute(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), PublishWaits.Backoff(attempt));

    /// <summary>Compiles build 1 and starts its publication, which dies right after adopting its plan: the head shows it in progress.</summary>
    private static async Task<(StoredBuild Build, CompileResult Compiled)> StartUnfinishedPublicationAsync(PublishingWorld world, RecordsCompiler compiler)
    {
        var qa = await CompileAsync(world, compiler, "run-1", TestTokens.FetchedAt, ("rto:1", Alpha));
        var build = (await world.Builds.GetAsync(qa.BuildId))!;
        var compiled = compiler.Compile(await BuildCompilation.LoadInputsAsync(world.Snapshots, build, default), TestTokens.Issuer);
        var budget = new CrashBudget(2); // the plan document and the head's adoption are the writes allowed
        await Assert.ThrowsAsync<InjectedCrashException>(() => world.Publisher(budget).PublishAsync(build, compiled));
        return (build, compiled);
    }

    private static async Task<QaRequest> CompileAsync(PublishingWorld world, RecordsCompiler compiler, string runId, DateTimeOffset fetchedAt, params (string Key, string Facts)[] records)
    {
        var snapshot = RecordsCompiler.Snapshot(runId, fetchedAt, records);
        await world.Snapshots.WriteAsync(snapshot);
        return (await world.Compilation(compiler).CompileAsync(new CompileRequest(RecordsCompiler.Source, snapshot.Manifest.Digest, runId)))!;
    }
}
