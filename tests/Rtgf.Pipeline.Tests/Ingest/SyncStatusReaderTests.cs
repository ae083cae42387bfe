using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>The watchtower over real runs: last success, staleness against the schedule, last error, watermark, digest.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SyncStatusReaderTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private IngestHarness _h = null!;

    public async Task InitializeAsync() => _h = await IngestHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task GetAsync_AfterRuns_ReportsSuccessStalenessErrorsAndWatermark()
    {
        var (tga, _) = await _h.RunTgaAsync();
        _h.NextRun();
        var cricos = await _h.Cricos.RunAsync(IngestTrigger.Timer);
        await _h.FaultAsync("/sites", "500", count: 50);
        _h.NextRun();
        var sanctions = await _h.DriveAsync(() => _h.Sanctions.RunAsync(IngestTrigger.Timer));
        var reader = new SyncStatusReader(_h.States, SyncSchedules.From(key => key == SyncSchedules.CricosSetting ? "0 0 */4 * * *" : null));

        var soon = await reader.GetAsync(cricos.Run.EndedAt!.Value.AddHours(1));
        var later = await reader.GetAsync(cricos.Run.EndedAt!.Value.AddHours(9));

        Assert.Equal(IngestSources.All, soon.Select(s => s.Source));
        var cricosNow = soon.Single(s => s.Source == IngestSources.Cricos);
        Assert.Equal("0 0 */4 * * *", cricosNow.Schedule);
        Assert.Equal(TimeSpan.FromHours(4), cricosNow.ExpectedInterval);
        Assert.Equal(cricos.Run.RunId, cricosNow.LastSuccessRunId);
        Assert.Equal(TimeSpan.FromHours(1), cricosNow.Staleness);
        Assert.False(cricosNow.IsStale);
        Assert.Equal(cricos.Compile!.SnapshotDigest, cricosNow.LatestSnapshotDigest);
        Assert.True(later.Single(s => s.Source == IngestSources.Cricos).IsStale);

        var sanctionsNow = soon.Single(s => s.Source == IngestSources.Sanctions);
        Assert.Equal(IngestRunStatus.Failed, sanctionsNow.LastStatus);
        Assert.Equal(sanctions.Run.Error, sanctionsNow.LastError);
        Assert.Null(sanctionsNow.LastSuccessAt);
        Assert.True(sanctionsNow.IsStale);
        Assert.Equal(TimeSpan.FromHours(6), sanctionsNow.ExpectedInterval);

        var tgaNow = soon.Single(s => s.Source == IngestSources.Tga);
        Assert.Equal(tga.Run.ServerTime!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), tgaNow.Watermark);
        Assert.Equal(tga.Run.RunId, tgaNow.LastSuccessRunId);
        Assert.Equal(TimeSpan.FromMinutes(30), tgaNow.ExpectedInterval);
        Assert.NotNull(tgaNow.LatestSnapshotDigest);

        var teqsa = soon.Single(s => s.Source == IngestSources.Teqsa);
        Assert.Null(teqsa.LastSuccessAt);
        Assert.Null(teqsa.Staleness);
        Assert.True(teqsa.IsStale);
    }

    [Fact]
    public async Task GetAsync_SchedulesInEachFormTheHostAccepts_GiveTheirIntervals()
    {
        var settings = new Dictionary<string, string>
        {
            [SyncSchedules.TgaSetting] = "0 0 2 * * MON",
            [SyncSchedules.CricosSetting] = "0 30 9 * JAN-MAR MON-FRI",
            [SyncSchedules.TeqsaSetting] = "12:00:00",
            [SyncSchedules.SanctionsSetting] = "0 */6 * * *",
        };
        var reader = new SyncStatusReader(_h.States, SyncSchedules.From(settings.GetValueOrDefault));

        var status = (await reader.GetAsync(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero))).ToDictionary(s => s.Source, s => s.ExpectedInterval);

        Assert.Equal(TimeSpan.FromDays(7), status[IngestSources.Tga]);
        Assert.Equal(TimeSpan.FromDays(278), status[IngestSources.Cricos]); // Wednesday 31 March to Monday 3 January
        Assert.Equal(TimeSpan.FromHours(12), status[IngestSources.Teqsa]);
        Assert.Equal(TimeSpan.FromHours(6), status[IngestSources.Sanctions]);
    }

    [Fact]
    public async Task GetAsync_AScheduleTheHostRefuses_FailsNamingTheSettingAndTheSchedule()
    {
        var reader = new SyncStatusReader(_h.States, SyncSchedules.From(key => key == SyncSchedules.TeqsaSetting ? "0 0 2 * * FRY" : null));

        var error = await Assert.ThrowsAsync<FormatException>(() => reader.GetAsync(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero)));

        Assert.StartsWith("TEQSA_SYNC_SCHEDULE: '0 0 2 * * FRY' is not a valid timer schedule: ", error.Message, StringComparison.Ordinal);
    }
}
