using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>
/// <c>tender-sync</c> over Azurite against the simulator's small world (clock 2025-07-01T00:00Z), after a TGA ingest
/// filled the mirror (the RTO ABNs). The worker's own clock sits a few hours after the simulator's.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TenderSyncWorkerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset SimulatorClock = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BackfillFrom = new(2025, 6, 25, 0, 0, 0, TimeSpan.Zero);
    private IngestHarness _h = null!;
    private readonly ManualTimeProvider _time = new(SimulatorClock.AddHours(3));

    public async Task InitializeAsync()
    {
        _h = await IngestHarness.StartAsync(azurite);
        await _h.RunTgaAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static TenderSyncOptions Options(int windows = 3, DateTimeOffset? from = null) => new() { MaxWindowsPerRun = windows, BackfillFrom = from ?? BackfillFrom };

    [Fact]
    public async Task Backfill_ReadsBoundedWindows_NoSnapshotUntilCaughtUp_StoresExactlyTheKeptContracts()
    {
        var worker = _h.Tender(Options(), _time);

        // Three of six days read: still back-filling, so the rows are stored but no snapshot is cut.
        var first = await _h.DriveAsync(() => worker.RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Succeeded, first.Run.Status);
        Assert.Null(first.Compile);
        Assert.Null(first.Run.SnapshotDigest);
        Assert.Null(await _h.Snapshots.GetLatestAsync(IngestSources.Tender));
        Assert.Equal(["read-rto-abns", "read-kept-contracts", "windows", "fetch-atms", "store-atms", TenderSyncWorker.BackfillingStep], first.Run.StepList.Select(s => s.Name));
        Assert.Equal(4, first.Run.StepList.Single(s => s.Name == TenderSyncWorker.BackfillingStep).Count); // 3 days and 2 hours to go
        Assert.Equal(BackfillFrom.AddDays(3), (await _h.States.GetAsync(IngestSources.Tender)).Watermark);
        Assert.Equal(Truth(BackfillFrom, BackfillFrom.AddDays(3)), await StoredTruthAsync());

        // The next three days end within a window of the limit: caught up, the run cuts the snapshot.
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await _h.DriveAsync(() => worker.RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Succeeded, second.Run.Status);
        Assert.Equal(BackfillFrom.AddDays(6), (await _h.States.GetAsync(IngestSources.Tender)).Watermark);
        var stored = await StoredContractsAsync();
        Assert.Equal(Truth(BackfillFrom, BackfillFrom.AddDays(6)), await StoredTruthAsync());
        Assert.Contains(stored.Values, c => c.RtoCodes.Count > 0);
        Assert.Contains(stored.Values, c => c.Categories.Any(k => k.StartsWith("86", StringComparison.Ordinal)));
        Assert.All(stored.Values, c => Assert.True(
            c.RtoCodes.Count > 0 || c.BuyerRtoCodes.Count > 0 || c.Categories.Any(k => k.StartsWith("86", StringComparison.Ordinal)), $"{c.ContractId} is neither education nor an RTO's"));

        // The snapshot holds every stored contract and tender row, and the run recorded its steps and raw payloads.
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Tender))!;
        var tenders = await _h.Tables.Open(IngestTables.Tenders).GetPartitionAsync(TenderSyncWorker.TenderPartition);
        Assert.NotEmpty(tenders);
        Assert.Equal(stored.Count + tenders.Count, snapshot.Manifest.RecordCount);
        Assert.Equal(second.Run.SnapshotDigest, snapshot.Manifest.Digest);
        Assert.Equal(
            ["read-rto-abns", "read-kept-contracts", "windows", "fetch-atms", "store-atms", TenderSyncWorker.ClaimStep, "build-snapshot", "write-snapshot"],
            second.Run.StepList.Select(s => s.Name));
        Assert.NotEmpty(await _h.RawNamesAsync($"{IngestSources.Tender}/{second.Run.RunId}/"));
        Assert.Null((await _h.States.GetAsync(IngestSources.Tender)).Cursor); // the publish claim is let go
    }

    [Fact]
    public async Task Windows_RunBetweenWholeSeconds()
    {
        // A back-fill start and a clock with fractions of a second: windows start and end on whole seconds.
        var clock = new ManualTimeProvider(SimulatorClock.AddHours(3).AddMilliseconds(900));
        var from = SimulatorClock.AddHours(-1).AddMilliseconds(750);
        var worker = _h.Tender(new TenderSyncOptions { MaxWindowsPerRun = 5, BackfillFrom = from }, clock);

        await _h.DriveAsync(() => worker.RunAsync(IngestTrigger.Manual));

        Assert.Equal(SimulatorClock.AddHours(2), (await _h.States.GetAsync(IngestSources.Tender)).Watermark);

        // A watermark with a fraction (as an older run left it) is floored too; what is left under a second is not read.
        await _h.States.UpdateAsync(IngestSources.Tender, s => s with { Watermark = SimulatorClock.AddHours(2).AddMilliseconds(300) });
        clock.Advance(TimeSpan.FromMilliseconds(500));
        var run = await _h.DriveAsync(() => worker.RunAsync(IngestTrigger.Manual));

        Assert.Equal(1, run.Run.StepList.Single(s => s.Name == "windows").Count);
        Assert.Equal(SimulatorClock.AddHours(2).AddSeconds(1), (await _h.States.GetAsync(IngestSources.Tender)).Watermark);
    }

    [Fact]
    public async Task ReRun_OfTheSameWindows_IsNoChange()
    {
        var worker = _h.Tender(Options(windows: 7), _time);
        await _h.DriveAsync(() => worker.RunAsync(IngestTrigger.Manual));
        var before = await _h.RowsAsync(IngestTables.TenderContracts);

        await _h.States.UpdateAsync(IngestSources.Tender, s => s with { Watermark = BackfillFrom });
        _time.Advance(TimeSpan.FromMinutes(1));
        var again = await _h.DriveAsync(() => worker.RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.NoChange, again.Run.Status);
        Assert.Equal(0, again.Run.Changed);
        Assert.True(again.Run.Records > 0);
        var after = await _h.RowsAsync(IngestTables.TenderContracts);
        Assert.Equal(before.ToDictionary(r => r.Key, r => r.Value.Digest), after.ToDictionary(r => r.Key, r => r.Value.Digest));
    }

    [Fact]
    public async Task Amendment_ReplacesFactsAndAppendsToAmendments()
    {
        var from = SimulatorClock.AddHours(-1);
        var worker = _h.Tender(new TenderSyncOptions { MaxWindowsPerRun = 5, BackfillFrom = from }, _time);
        var added = await _h.ScenarioAsync("tender-new-contract");
        var contractId = (string)added["contractId"]!;
        await _h.DriveAsync(() => worker.RunAsync(IngestTrigger.Manual));
        var original = (await StoredContractsAsync())[contractId];
        Assert.Equal(148500m, original.Value);
        Assert.Empty(original.Amendments);
        Assert.NotEmpty(original.RtoCodes);

        // The amendment is released after the watermark (03:00 less the settle hour): the next run's window holds it.
        await _h.PostAdminAsync("_sim/clock", new JsonObject { ["advanceSeconds"] = 3 * 3600 });
        var amended = await _h.ScenarioAsync("tender-amendment");
        _time.Advance(TimeSpan.FromHours(3));
        var run = await _h.DriveAsync(() => worker.RunAsync(IngestTrigger.Manual));

        var contract = (await StoredContractsAsync())[contractId];
        Assert.Equal(163350m, contract.Value);
        Assert.Equal((string)amended["releaseId"]!, contract.ReleaseId);
        Assert.Equal((string)amended["releaseId"]!, Assert.Single(contract.Amendments).ReleaseId);
        Assert.Equal(original.RtoCodes, contract.RtoCodes);
        var line = SnapshotRecord((await _h.Snapshots.GetLatestAsync(IngestSources.Tender))!, "contract:" + contractId);
        Assert.Equal("163350", (string)line["value"]!);
        Assert.Equal(IngestRunStatus.Succeeded, run.Run.Status);
    }

    public static TheoryData<int> CrashingWrites => [1, 2, 5];

    [Theory]
    [MemberData(nameof(CrashingWrites))]
    public async Task Crash_WritingAContractRow_NeitherLosesNorDuplicatesAfterTheRerun(int failOnWrite)
    {
        var crashing = _h.Tender(Options(), _time, tables: new CrashingTables(_h.Tables, IngestTables.TenderContracts, failOnWrite));

        var failed = await _h.DriveAsync(() => crashing.RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Failed, failed.Run.Status);
        Assert.Contains("the instance stopped", failed.Run.Error, StringComparison.Ordinal);
        var watermark = (await _h.States.GetAsync(IngestSources.Tender)).Watermark;
        Assert.True(watermark is null || watermark < BackfillFrom.AddDays(3), $"the watermark passed a window that was not stored: {watermark}");

        _time.Advance(TimeSpan.FromMinutes(1));
        var rerun = await _h.DriveAsync(() => _h.Tender(Options(), _time).RunAsync(IngestTrigger.Manual));

        // The rerun goes on from the last stored window; everything from the back-fill start to its watermark is there once.
        Assert.Equal(IngestRunStatus.Succeeded, rerun.Run.Status);
        var end = (watermark ?? BackfillFrom).AddDays(3);
        Assert.Equal(end, (await _h.States.GetAsync(IngestSources.Tender)).Watermark);
        Assert.Equal(Truth(BackfillFrom, end), await StoredTruthAsync());
    }

    [Fact]
    public async Task Crash_MovingTheWatermark_RerunReReadsTheWindowWithoutDuplicates()
    {
        var crashing = _h.Tender(Options(), _time, states: new CrashingStates(_h.States, failOnUpdate: 2));

        var failed = await _h.DriveAsync(() => crashing.RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Failed, failed.Run.Status);
        Assert.Equal(BackfillFrom.AddDays(1), (await _h.States.GetAsync(IngestSources.Tender)).Watermark);
        _time.Advance(TimeSpan.FromMinutes(1));
        var rerun = await _h.DriveAsync(() => _h.Tender(Options(), _time).RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Succeeded, rerun.Run.Status);
        Assert.Equal(BackfillFrom.AddDays(4), (await _h.States.GetAsync(IngestSources.Tender)).Watermark);
        Assert.Equal(Truth(BackfillFrom, BackfillFrom.AddDays(4)), await StoredTruthAsync());
    }

    [Fact]
    public async Task Crash_WritingTheSnapshot_NextRunCutsIt()
    {
        var crashing = _h.Tender(Options(windows: 7), _time, snapshots: new CrashingSnapshots(_h.Snapshots));

        var failed = await _h.DriveAsync(() => crashing.RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Failed, failed.Run.Status);
        Assert.Contains("write-snapshot", failed.Run.Error, StringComparison.Ordinal);
        Assert.Null(await _h.Snapshots.GetLatestAsync(IngestSources.Tender));
        Assert.Null((await _h.States.GetAsync(IngestSources.Tender)).Cursor); // a failure it sees lets the claim go

        // No window read, yet the rows differ from the last snapshot: it is cut.
        _time.Advance(TimeSpan.FromMinutes(1));
        var rerun = await _h.DriveAsync(() => _h.Tender(Options(windows: 0), _time).RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Succeeded, rerun.Run.Status);
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Tender))!;
        Assert.Equal((await StoredContractsAsync()).Count, snapshot.Manifest.RecordCount - (await _h.Tables.Open(IngestTables.Tenders).GetPartitionAsync(TenderSyncWorker.TenderPartition)).Count);
    }

    [Fact]
    public async Task ConcurrentRuns_TwoInstances_SameRowsAndWatermarkAsOne()
    {
        var a = _h.Tender(Options(windows: 7), _time);
        var b = _h.Tender(Options(windows: 7), new ManualTimeProvider(_time.GetUtcNow().AddSeconds(7)));

        var outcomes = await _h.DriveAsync(() => Task.WhenAll(a.RunAsync(IngestTrigger.Manual), b.RunAsync(IngestTrigger.Manual)));

        Assert.All(outcomes, o => Assert.NotEqual(IngestRunStatus.Failed, o.Run.Status));
        Assert.Equal(SimulatorClock.AddHours(2).AddSeconds(7), (await _h.States.GetAsync(IngestSources.Tender)).Watermark); // B's limit, 7 s later
        Assert.Equal(Truth(BackfillFrom, SimulatorClock), await StoredTruthAsync());
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Tender))!;
        Assert.Contains(snapshot.Manifest.Digest, outcomes.Select(o => o.Run.SnapshotDigest));
    }

    [Fact]
    public async Task ConcurrentRuns_AnEarlierBuildPublishedLast_NeverMovesTheLatestBack()
    {
        // A reads one day and is held just before writing its snapshot; B, meanwhile, reads the next days and finishes.
        var published = new RecordingSnapshots(_h.Snapshots);
        var gate = new GatedSnapshots(published);
        var from = SimulatorClock.AddDays(-3);
        var a = _h.Tender(new TenderSyncOptions { MaxWindowsPerRun = 1, BackfillFrom = from, SettleMinutes = 50 * 60 }, _time, snapshots: gate);
        var b = _h.Tender(new TenderSyncOptions { MaxWindowsPerRun = 3, BackfillFrom = from }, new ManualTimeProvider(_time.GetUtcNow().AddSeconds(7)), snapshots: published);

        var runA = a.RunAsync(IngestTrigger.Manual);
        await Task.WhenAny(gate.Entered, runA);
        Assert.True(gate.Entered.IsCompleted, "A did not reach its snapshot write");
        var outcomeB = await _h.DriveAsync(() => b.RunAsync(IngestTrigger.Manual));
        gate.Release();
        var outcomeA = await runA;

        // B stored its days but left publishing to the claim's holder: A's snapshot is the only one written, so the latest
        // never went from B's back to A's (each snapshot written holds every key of the one before).
        Assert.All(published.Written.Skip(1), (w, i) => Assert.Superset(published.Written[i].Keys, w.Keys));
        Assert.Equal([outcomeA.Run.SnapshotDigest], published.Written.Select(w => w.Digest));
        Assert.Equal(IngestRunStatus.Succeeded, outcomeA.Run.Status);
        Assert.Equal(IngestRunStatus.Succeeded, outcomeB.Run.Status);
        Assert.Equal(0, outcomeB.Run.StepList.Single(s => s.Name == TenderSyncWorker.ClaimStep).Count);
        Assert.Null(outcomeB.Run.SnapshotDigest);

        // The next run publishes B's contracts too; every snapshot holds every contract of the one before.
        _time.Advance(TimeSpan.FromMinutes(1));
        var next = await _h.DriveAsync(() => _h.Tender(Options(windows: 0), _time, snapshots: published).RunAsync(IngestTrigger.Manual));
        Assert.Equal(IngestRunStatus.Succeeded, next.Run.Status);
        Assert.Equal(2, published.Written.Count);
        Assert.Superset(published.Written[0].Keys, published.Written[1].Keys);
        Assert.NotEqual(published.Written[0].Keys.Count, published.Written[1].Keys.Count);
        Assert.Equal(next.Run.SnapshotDigest, (await _h.Snapshots.GetLatestAsync(IngestSources.Tender))!.Manifest.Digest);
        Assert.Equal((await StoredContractsAsync()).Keys.Select(k => "contract:" + k).ToHashSet(), published.Written[1].Keys.Where(k => k.StartsWith("contract:", StringComparison.Ordinal)).ToHashSet());
    }

    [Fact]
    public async Task AtmFeedDrift_ContractSnapshotStillCut_RunFailsNamingTheAtmStep()
    {
        await _h.FaultAsync("/public_data", "drift", count: 1);

        var run = await _h.DriveAsync(() => _h.Tender(Options(windows: 7), _time).RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Failed, run.Run.Status);
        Assert.StartsWith("fetch-atms:", run.Run.Error, StringComparison.Ordinal);
        Assert.Contains("has no ATM ID", run.Run.Error, StringComparison.Ordinal);
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Tender))!;
        Assert.NotNull(snapshot);
        Assert.Equal(run.Run.SnapshotDigest, snapshot.Manifest.Digest);
        Assert.Equal((await StoredContractsAsync()).Count, snapshot.Manifest.RecordCount);
        Assert.NotEqual(0, snapshot.Manifest.RecordCount);
        var state = await _h.States.GetAsync(IngestSources.Tender);
        Assert.Equal(snapshot.Manifest.Digest, state.SnapshotDigest);
        Assert.Equal(IngestRunStatus.Failed, state.LastStatus);
    }

    [Fact]
    public async Task MalformedRelease_FailsTheRunAndKeepsTheWatermark()
    {
        await _h.FaultAsync("/ocds", "drift", count: 1);

        var failed = await _h.DriveAsync(() => _h.Tender(Options(), _time).RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Failed, failed.Run.Status);
        Assert.Contains("date is missing", failed.Run.Error, StringComparison.Ordinal);
        Assert.Null((await _h.States.GetAsync(IngestSources.Tender)).Watermark);
    }

    /// <summary>What the tables must hold after reading [from, to), from the simulator's own truth.</summary>
    private Dictionary<string, TenderTruth.Contract> Truth(DateTimeOffset from, DateTimeOffset to) => TenderTruth.Of(_h.Server.World, from, to);

    private async Task<Dictionary<string, TenderTruth.Contract>> StoredTruthAsync() =>
        (await StoredContractsAsync()).ToDictionary(
            c => c.Key,
            c => new TenderTruth.Contract(
                c.Value.ReleaseId, string.Join(",", c.Value.Amendments.Select(a => a.Id).Order(StringComparer.Ordinal)), string.Join(",", c.Value.RtoCodes), string.Join(",", c.Value.BuyerRtoCodes)),
            StringComparer.Ordinal);

    private async Task<Dictionary<string, ContractNoticeRecord>> StoredContractsAsync()
    {
        var rows = await _h.Tables.Open(IngestTables.TenderContracts).GetPartitionAsync(TenderSyncWorker.ContractPartition);
        return rows.ToDictionary(r => r.Row.RowKey, r =>
        {
            using var json = JsonDocument.Parse(r.Row.Json);
            return ContractNoticeRecord.Read(json.RootElement);
        }, StringComparer.Ordinal);
    }

    private static JsonObject SnapshotRecord(Snapshot snapshot, string key)
    {
        var lines = System.Text.Encoding.UTF8.GetString(snapshot.Records.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
        {
            var node = JsonNode.Parse(line)!.AsObject();
            if ((string?)node["contractId"] is { } id && "contract:" + id == key)
            {
                return node;
            }
        }

        throw new Xunit.Sdk.XunitException($"No {key} in the snapshot.");
    }

    /// <summary>The real tables, but <paramref name="table"/>'s <paramref name="failOn"/>-th conditional write fails as a crash would.</summary>
    private sealed class CrashingTables(IRecordTables inner, string table, int failOn) : IRecordTables
    {
        private int _writes;

        private bool NextWriteCrashes() => Interlocked.Increment(ref _writes) == failOn;

        public IRecordTable Open(string name) => name == table ? new Crashing(inner.Open(name), this) : inner.Open(name);

        private sealed class Crashing(IRecordTable real, CrashingTables owner) : IRecordTable
        {
            public string Name => real.Name;

            public Task<StoredRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default) => real.GetAsync(partitionKey, rowKey, cancellationToken);

            public Task<IReadOnlyList<StoredRow>> GetPartitionAsync(string partitionKey, CancellationToken cancellationToken = default) => real.GetPartitionAsync(partitionKey, cancellationToken);

            public Task<bool> TryWriteAsync(MirrorRow row, string? etag, CancellationToken cancellationToken = default) =>
                owner.NextWriteCrashes() ? throw new IOException("the instance stopped") : real.TryWriteAsync(row, etag, cancellationToken);

            public Task<bool> TrySubmitAsync(string partitionKey, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken = default) => real.TrySubmitAsync(partitionKey, changes, cancellationToken);

            public IAsyncEnumerable<MirrorRow> ReadAllAsync(CancellationToken cancellationToken = default) => real.ReadAllAsync(cancellationToken);
        }
    }

    /// <summary>The real watermarks table, but the <paramref name="failOnUpdate"/>-th update fails before it is written.</summary>
    private sealed class CrashingStates(ISourceStateStore inner, int failOnUpdate) : ISourceStateStore
    {
        private int _updates;

        public Task<SourceState> GetAsync(string source, CancellationToken cancellationToken = default) => inner.GetAsync(source, cancellationToken);

        public Task<SourceState> UpdateAsync(string source, Func<SourceState, SourceState> change, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _updates) == failOnUpdate ? throw new IOException("the instance stopped") : inner.UpdateAsync(source, change, cancellationToken);
    }

    /// <summary>The real snapshot store, remembering each snapshot written (in the order the writes finished) and its record keys.</summary>
    private sealed class RecordingSnapshots(ISnapshotStore inner) : ISnapshotStore
    {
        private readonly List<(string Digest, HashSet<string> Keys)> _written = [];

        public IReadOnlyList<(string Digest, HashSet<string> Keys)> Written { get { lock (_written) { return [.. _written]; } } }

        public async Task<SnapshotWriteResult> WriteAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
        {
            var result = await inner.WriteAsync(snapshot, cancellationToken);
            var keys = System.Text.Encoding.UTF8.GetString(snapshot.Records.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonNode.Parse(line)!.AsObject())
                .Select(o => o["contractId"] is { } id ? "contract:" + (string)id! : "tender:" + (string)o["atmId"]!)
                .ToHashSet(StringComparer.Ordinal);
            lock (_written)
            {
                _written.Add((snapshot.Manifest.Digest, keys));
            }

            return result;
        }

        public Task<Snapshot?> GetLatestAsync(string source, CancellationToken cancellationToken = default) => inner.GetLatestAsync(source, cancellationToken);

        public Task<Snapshot?> GetAsync(string source, string digest, CancellationToken cancellationToken = default) => inner.GetAsync(source, digest, cancellationToken);
    }

    /// <summary>A snapshot store whose first write waits, once it has begun, until the test releases it.</summary>
    private sealed class GatedSnapshots(ISnapshotStore inner) : ISnapshotStore
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public async Task<SnapshotWriteResult> WriteAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
        {
            _entered.TrySetResult();
            await _released.Task;
            return await inner.WriteAsync(snapshot, cancellationToken);
        }

        public Task<Snapshot?> GetLatestAsync(string source, CancellationToken cancellationToken = default) => inner.GetLatestAsync(source, cancellationToken);

        public Task<Snapshot?> GetAsync(string source, string digest, CancellationToken cancellationToken = default) => inner.GetAsync(source, digest, cancellationToken);
    }

    /// <summary>A snapshot store whose writes fail as a crash would.</summary>
    private sealed class CrashingSnapshots(ISnapshotStore inner) : ISnapshotStore
    {
        public Task<SnapshotWriteResult> WriteAsync(Snapshot snapshot, CancellationToken cancellationToken = default) => throw new IOException("the instance stopped");

        public Task<Snapshot?> GetLatestAsync(string source, CancellationToken cancellationToken = default) => inner.GetLatestAsync(source, cancellationToken);

        public Task<Snapshot?> GetAsync(string source, string digest, CancellationToken cancellationToken = default) => inner.GetAsync(source, digest, cancellationToken);
    }
}
