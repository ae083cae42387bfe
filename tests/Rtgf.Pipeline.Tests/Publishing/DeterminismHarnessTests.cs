using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Publishing;

[Collection(PublishingCollection.Name)]
public sealed class DeterminismHarnessTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CheckAsync_DeterministicBuild_RequestsPublish()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var compiler = new RecordsCompiler();
        await world.Snapshots.WriteAsync(RecordsCompiler.Snapshot("run-1", TestTokens.FetchedAt, ("rto:1", """{"name":"Alpha"}""")));
        var qa = (await world.Compilation(compiler).CompileAsync(new CompileRequest("test", "x", "run-1")))!;
        using var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));

        var publish = await Harness(world, compiler, factory).CheckAsync(qa);

        Assert.Equal(qa.BuildId, publish?.BuildId);
        Assert.Equal(2, compiler.Runs);
        Assert.False((await world.Freeze().GetAsync()).IsFrozen);
        Assert.DoesNotContain(logs.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task CheckAsync_NondeterministicCompiler_FreezesUntilClearedAndTheClearingIsLogged()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var good = new RecordsCompiler();
        var bad = new RecordsCompiler { Nondeterministic = true };
        await world.Snapshots.WriteAsync(RecordsCompiler.Snapshot("run-1", TestTokens.FetchedAt, ("rto:1", """{"name":"Alpha"}"""), ("rto:2", """{"name":"Bravo"}""")));
        var published = (await world.Compilation(good).CompileAsync(new CompileRequest("test", "x", "run-1")))!;
        await world.PublishStage(good).PublishAsync(new PublishRequest(published.BuildId));
        var victim = (await world.Registry.GetLatestAsync("rto:1")).Single();
        var badBuild = (await world.Compilation(bad).CompileAsync(new CompileRequest("test", "x", "run-1")))!;
        using var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var failures = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PipelineMetrics.MeterName && instrument.Name == PipelineMetrics.DeterminismFailuresName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "build" && (string?)tag.Value == badBuild.BuildId)
                {
                    Interlocked.Add(ref failures, value);
                }
            }
        });
        listener.Start();

        var publish = await Harness(world, bad, factory).CheckAsync(badBuild);

        Assert.Null(publish);
        Assert.Equal(1, Interlocked.Read(ref failures));
        var error = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.StartsWith(PipelineLog.DeterminismFailEvent, error.Message, StringComparison.Ordinal);
        var freeze = await world.Freeze().GetAsync();
        Assert.True(freeze.IsFrozen);
        Assert.Equal(badBuild.BuildId, freeze.BuildId);
        Assert.Contains(PipelineLog.DeterminismFailEvent, freeze.Reason, StringComparison.Ordinal);

        // Every publish path honours the freeze.
        await world.Snapshots.WriteAsync(RecordsCompiler.Snapshot("run-2", TestTokens.FetchedAt.AddDays(1), ("rto:1", """{"name":"Alpha"}""")));
        var next = (await world.Compilation(good).CompileAsync(new CompileRequest("test", "y", "run-2")))!;
        var sizeFrozen = await world.LogSizeAsync();
        await Assert.ThrowsAsync<PublicationFrozenException>(() => world.PublishStage(good).PublishAsync(new PublishRequest(next.BuildId)));
        await Assert.ThrowsAsync<PublicationFrozenException>(() => world.Publisher().RevokeAsync(victim.TokenId, "test", "operator-1"));
        Assert.Equal(sizeFrozen, await world.LogSizeAsync());

        var cleared = await world.Freeze().ClearAsync("compiler bug fixed in 1.0.1", "operator-1");

        Assert.False(cleared.IsFrozen);
        Assert.Equal(("operator-1", "compiler bug fixed in 1.0.1"), (cleared.ClearedBy, cleared.ClearReason));
        var action = Assert.Single(PublishingWorld.OfType(await world.EntriesAsync(), "operator-action"));
        Assert.Equal(("clear-publication-freeze", badBuild.BuildId, "operator-1"), (action.GetProperty("action").GetString(), action.GetProperty("target").GetString(), action.GetProperty("actor").GetString()));
        var publication = await world.PublishStage(good).PublishAsync(new PublishRequest(next.BuildId));
        Assert.Equal((1L, 1L), (publication.Revoked, publication.RevocationEpoch));
        Assert.Equal(cleared, await world.Freeze().ClearAsync("again", "operator-2"));
    }

    private static DeterminismHarness Harness(PublishingWorld world, RecordsCompiler compiler, ILoggerFactory factory) =>
        new(world.Builds, world.Snapshots, compiler, world.Freeze(), world.Options, factory.CreateLogger<DeterminismHarness>());
}
