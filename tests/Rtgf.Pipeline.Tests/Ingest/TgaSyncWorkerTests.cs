using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>tga-sync against the simulator: fan-out, no-change runs, and every fault mode failing the run without loss.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TgaSyncWorkerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private IngestHarness _h = null!;

    public async Task InitializeAsync() => _h = await IngestHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task FirstRun_FansOutSortedBatchesFromTheInitialWatermark_AndRecordsTheRun()
    {
        _h.NextRun();
        var outcome = await _h.TgaSync.RunAsync(IngestTrigger.Manual);

        Assert.Equal(IngestRunStatus.Running, outcome.Run.Status);
        Assert.True(outcome.Batches.Count > 2, $"only {outcome.Batches.Count} batches");
        Assert.Equal(Enumerable.Range(1, outcome.Batches.Count), outcome.Batches.Select(b => b.Batch));
        Assert.All(outcome.Batches, b => Assert.InRange(b.Items.Count, 1, 5));
        Assert.Contains(outcome.Batches, b => b.Kind == TgaBatchKind.Components);
        Assert.Contains(outcome.Batches, b => b.Kind == TgaBatchKind.Organisations);
        var stored = (await _h.Runs.GetAsync(IngestSources.Tga, outcome.Run.RunId))!.Value.Run;
        Assert.Equal(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), stored.WindowStart);
        Assert.Equal(outcome.Batches.Count, stored.Batches);
        Assert.Equal(outcome.Batches.Sum(b => b.Items.Count), stored.Records);
        Assert.Equal(IngestTrigger.Manual, stored.Trigger);
        Assert.Equal(["server-time", "search-components", "search-organisations", "search-deleted-components", "search-deleted-organisations", "write-ledger"], stored.StepList.Select(s => s.Name));
        Assert.Equal(outcome.Batches.Count, (await _h.Ledger.GetAsync(outcome.Run.RunId)).Count(b => !b.Done));
        Assert.Null((await _h.States.GetAsync(IngestSources.Tga)).Watermark); // not before every batch committed
        var raw = await _h.RawNamesAsync($"tga/{outcome.Run.RunId}/");
        Assert.Contains($"tga/{outcome.Run.RunId}/TrainingComponentService.GetServerTime-1.xml", raw);
        Assert.Contains($"tga/{outcome.Run.RunId}/TrainingComponentService.SearchByModifiedDate-1.xml", raw);
        Assert.Contains($"tga/{outcome.Run.RunId}/OrganisationService.SearchDeletedByDeletedDate-1.xml", raw);
    }

    [Fact]
    public async Task SecondRun_NothingChanged_NoBatchesNoSnapshot_WatermarkAtServerTime()
    {
        var (first, ingests) = await _h.RunTgaAsync();
        var digest = (await _h.Snapshots.GetLatestAsync(IngestSources.Tga))!.Manifest.Digest;

        var (second, none) = await _h.RunTgaAsync();

        Assert.Equal(IngestRunStatus.NoChange, second.Run.Status);
        Assert.Empty(second.Batches);
        Assert.Empty(none);
        Assert.Equal(digest, (await _h.Snapshots.GetLatestAsync(IngestSources.Tga))!.Manifest.Digest);
        Assert.Equal(first.Run.ServerTime, second.Run.WindowStart);
        Assert.Equal(second.Run.ServerTime, (await _h.States.GetAsync(IngestSources.Tga)).Watermark);
        Assert.Single(ingests, i => i.Compile is not null);
    }

    [Fact]
    public async Task AMirrorWhoseOrganisationRecordsPredateTheVersionedRead_ReadsEveryOrganisationOnceByItself()
    {
        // A first full run records the version with the watermark; a run with no change reads nothing.
        var (first, _) = await _h.RunTgaAsync();
        var everyOrganisation = first.Batches.Where(b => b.Kind == TgaBatchKind.Organisations).SelectMany(b => b.Items).Select(i => i.Code).ToList();
        Assert.NotEmpty(everyOrganisation);
        Assert.Equal(TgaSyncWorker.OrganisationRecordVersion, (await _h.States.GetAsync(IngestSources.Tga)).OrganisationRecords);
        Assert.Equal(IngestRunStatus.NoChange, (await _h.RunTgaAsync()).Sync.Run.Status);

        // A mirror filled before versions were recorded (its organisations read without registration status).
        await _h.States.UpdateAsync(IngestSources.Tga, s => s with { OrganisationRecords = null });
        var watermark = (await _h.States.GetAsync(IngestSources.Tga)).Watermark;

        // Nothing changed upstream, yet the next run reads every organisation (and only the components in its window).
        var (reread, ingests) = await _h.RunTgaAsync();
        Assert.Equal(watermark, reread.Run.WindowStart);
        Assert.Equal(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), reread.Run.OrganisationsWindowStart);
        Assert.Equal(everyOrganisation, reread.Batches.Where(b => b.Kind == TgaBatchKind.Organisations).SelectMany(b => b.Items).Select(i => i.Code));
        Assert.DoesNotContain(reread.Batches, b => b.Kind == TgaBatchKind.Components);
        Assert.True(IngestRunStatus.IsFinal(ingests[^1].Run!.Status), ingests[^1].Run!.Status);

        // The window done, the version is recorded with the watermark, and the run after reads nothing again.
        var state = await _h.States.GetAsync(IngestSources.Tga);
        Assert.Equal(TgaSyncWorker.OrganisationRecordVersion, state.OrganisationRecords);
        Assert.Equal(reread.Run.ServerTime, state.Watermark);
        var after = await _h.RunTgaAsync();
        Assert.Equal(IngestRunStatus.NoChange, after.Sync.Run.Status);
        Assert.Null(after.Sync.Run.OrganisationsWindowStart);
    }

    [Fact]
    public async Task AMirrorWhoseComponentRecordsPredateClassifications_ReadsEveryComponentOnceByItself()
    {
        var (first, _) = await _h.RunTgaAsync();
        var everyComponent = first.Batches.Where(b => b.Kind == TgaBatchKind.Components).SelectMany(b => b.Items).Select(i => i.Code).ToList();
        Assert.NotEmpty(everyComponent);
        Assert.Equal(TgaSyncWorker.ComponentRecordVersion, (await _h.States.GetAsync(IngestSources.Tga)).ComponentRecords);

        // A mirror filled before components carried their classifications (version not recorded).
        await _h.States.UpdateAsync(IngestSources.Tga, s => s with { ComponentRecords = null });
        var watermark = (await _h.States.GetAsync(IngestSources.Tga)).Watermark;

        // Nothing changed upstream, yet the next run reads every component (and only the organisations in its window).
        var (reread, ingests) = await _h.RunTgaAsync();
        Assert.Equal(watermark, reread.Run.WindowStart);
        Assert.Equal(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), reread.Run.ComponentsWindowStart);
        Assert.Null(reread.Run.OrganisationsWindowStart);
        Assert.Equal(everyComponent, reread.Batches.Where(b => b.Kind == TgaBatchKind.Components).SelectMany(b => b.Items).Select(i => i.Code));
        Assert.DoesNotContain(reread.Batches, b => b.Kind == TgaBatchKind.Organisations);
        Assert.True(IngestRunStatus.IsFinal(ingests[^1].Run!.Status), ingests[^1].Run!.Status);

        var state = await _h.States.GetAsync(IngestSources.Tga);
        Assert.Equal(TgaSyncWorker.ComponentRecordVersion, state.ComponentRecords);
        Assert.Equal(reread.Run.ServerTime, state.Watermark);
        var after = await _h.RunTgaAsync();
        Assert.Equal(IngestRunStatus.NoChange, after.Sync.Run.Status);
        Assert.Null(after.Sync.Run.ComponentsWindowStart);
    }

    [Fact]
    public async Task TheOrganisationReRead_FromAWatermarkBeforeTheInitialOne_StartsAtTheWatermark()
    {
        // A mirror whose watermark is before the initial watermark (set later by an operator), records unversioned: the
        // re-read must not start at the later initial watermark, or the changes between would be skipped while the
        // version is recorded.
        var watermark = new DateTimeOffset(1999, 6, 1, 0, 0, 0, TimeSpan.Zero);
        await _h.States.UpdateAsync(IngestSources.Tga, s => s with { Watermark = watermark, OrganisationRecords = null });

        var (reread, _) = await _h.RunTgaAsync();

        Assert.Equal(watermark, reread.Run.WindowStart);
        Assert.Null(reread.Run.OrganisationsWindowStart); // organisations read from the same (earlier) start as the rest
        Assert.Contains(reread.Batches, b => b.Kind == TgaBatchKind.Organisations);
        Assert.Equal(TgaSyncWorker.OrganisationRecordVersion, (await _h.States.GetAsync(IngestSources.Tga)).OrganisationRecords);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("429")]
    [InlineData("truncated")]
    [InlineData("malformed")]
    public async Task UpstreamFault_FailsTheRunWithRecordedError_AndLosesNothing(string mode)
    {
        await _h.RunTgaAsync();
        var state = await _h.States.GetAsync(IngestSources.Tga);
        var organisations = await _h.RowsAsync(IngestTables.TgaOrganisations);
        await _h.ScenarioAsync("rto-cancelled");
        await _h.FaultAsync("/Deewr.Tga.WebServices", mode, count: 50);

        _h.NextRun();
        var failed = await _h.DriveAsync(() => _h.TgaSync.RunAsync(IngestTrigger.Timer));

        Assert.Equal(IngestRunStatus.Failed, failed.Run.Status);
        Assert.Empty(failed.Batches);
        var stored = (await _h.Runs.GetAsync(IngestSources.Tga, failed.Run.RunId))!.Value.Run;
        Assert.Equal(IngestRunStatus.Failed, stored.Status);
        Assert.StartsWith("server-time: ", stored.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', stored.Error!);
        Assert.NotNull(stored.EndedAt);
        var after = await _h.States.GetAsync(IngestSources.Tga);
        Assert.Equal(state.Watermark, after.Watermark);
        Assert.Equal(state.SnapshotDigest, after.SnapshotDigest);
        Assert.Equal(stored.Error, after.LastError);
        Assert.Equal(IngestRunStatus.Failed, after.LastStatus);
        Assert.Equal(state.SnapshotDigest, (await _h.Snapshots.GetLatestAsync(IngestSources.Tga))!.Manifest.Digest);
        Assert.Equal(organisations.Values.Select(r => r.Digest), (await _h.RowsAsync(IngestTables.TgaOrganisations)).Values.Select(r => r.Digest));

        // Once TGA behaves, the next run picks the change up from the unmoved watermark.
        await _h.ClearFaultsAsync();
        var (recovered, ingests) = await _h.RunTgaAsync();
        Assert.Equal(state.Watermark, recovered.Run.WindowStart);
        Assert.Single(ingests, i => i.Compile is not null);
    }

    [Fact]
    public async Task SlowUpstream_AttemptsTimeOut_RunFailsWithRecordedError()
    {
        await using var slow = await IngestHarness.StartAsync(azurite, attemptTimeout: TimeSpan.FromSeconds(5));
        await slow.FaultAsync("/Deewr.Tga.WebServices", "slow", count: 50);

        slow.NextRun();
        var failed = await slow.DriveAsync(() => slow.TgaSync.RunAsync(IngestTrigger.Timer));

        Assert.Equal(IngestRunStatus.Failed, failed.Run.Status);
        Assert.Contains("server-time: ", failed.Run.Error, StringComparison.Ordinal);
        Assert.Contains("Timeout", failed.Run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Null((await slow.States.GetAsync(IngestSources.Tga)).Watermark);
        Assert.Null(await slow.Snapshots.GetLatestAsync(IngestSources.Tga));
    }

    [Fact]
    public async Task NewRun_WhileAnOlderRunHasPendingBatches_ClosesItAndCoversItsWindowAgain()
    {
        _h.NextRun();
        var abandoned = await _h.TgaSync.RunAsync(IngestTrigger.Timer);

        var (next, _) = await _h.RunTgaAsync();

        var closed = (await _h.Runs.GetAsync(IngestSources.Tga, abandoned.Run.RunId))!.Value.Run;
        Assert.Equal(IngestRunStatus.Failed, closed.Status);
        Assert.Contains("superseded by " + next.Run.RunId, closed.Error, StringComparison.Ordinal);
        Assert.Equal(abandoned.Run.WindowStart, next.Run.WindowStart);
        var late = await _h.TgaIngest.RunAsync(IngestHarness.Body(abandoned.Batches[0]), "late");
        Assert.Equal(TgaIngestResult.RunClosed, late.Result);
    }
}
