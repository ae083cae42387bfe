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
    public async Task Backfill_ReadsBoundedWindowsAndStoresExactlyTheKeptContracts()
    {
        var worker = _h.Tender(Options(), _time);

        var first = await _h.DriveAsync(() => worker.RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Succeeded, first.Run.Status);
        Assert.Null(first.Compile);
        Assert.Equal(BackfillFrom.AddDays(3), (await _h.States.GetAsync(IngestSources.Tender)).Watermark);
        Assert.Equal(await ExpectedAsync(BackfillFrom, BackfillFrom.AddDays(3)), await StoredAsync());

        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await _h.DriveAsync(() => worker.RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Succeeded, second.Run.Status);
        Assert.Equal(BackfillFrom.AddDays(6), (await _h.States.GetAsync(IngestSources.Tender)).Watermark);
        var stored = await StoredContractsAsync();
        Assert.Equal(await ExpectedAsync(BackfillFrom, BackfillFrom.AddDays(6)), Texts(stored));
        Assert.Contains(stored.Values, c => c.RtoCodes.Count > 0);
        Assert.Contains(stored.Values, c => c.Categories.Any(k => k.StartsWith("86", StringComparison.Ordinal)));
        Assert.Contains(stored.Values, c => c.Amendments.Count > 0 || c.RtoCodes.Count == 0);

        // The snapshot holds every stored contract and tender row, and the run recorded its steps and raw payloads.
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Tender))!;
        var tenders = await _h.Tables.Open(IngestTables.Tenders).GetPartitionAsync(TenderSyncWorker.TenderPartition);
        Assert.NotEmpty(tenders);
        Assert.Equal(stored.Count + tenders.Count, snapshot.Manifest.RecordCount);
        Assert.Equal(second.Run.SnapshotDigest, snapshot.Manifest.Digest);
        Assert.Equal(["read-rto-abns", "read-kept-contracts", "windows", "fetch-atms", "store-atms", "build-snapshot", "write-snapshot"], second.Run.StepList.Select(s => s.Name));
        Assert.NotEmpty(await _h.RawNamesAsync($"{IngestSources.Tender}/{second.Run.RunId}/"));
    }

    [Fact]
    public async Task ReRun_OfTheSameWindows_IsNoChange()
    {
        var worker = _h.Tender(Options(), _time);
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
        Assert.Equal(await ExpectedAsync(BackfillFrom, end), await StoredAsync());
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
        Assert.Equal(await ExpectedAsync(BackfillFrom, BackfillFrom.AddDays(4)), await StoredAsync());
    }

    [Fact]
    public async Task Crash_WritingTheSnapshot_NextRunCutsIt()
    {
        var crashing = _h.Tender(Options(), _time, snapshots: new CrashingSnapshots(_h.Snapshots));

        var failed = await _h.DriveAsync(() => crashing.RunAsync(IngestTrigger.Manual));

        Assert.Equal(IngestRunStatus.Failed, failed.Run.Status);
        Assert.Contains("write-snapshot", failed.Run.Error, StringComparison.Ordinal);
        Assert.Null(await _h.Snapshots.GetLatestAsync(IngestSources.Tender));

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
        var a = _h.Tender(Options(), _time);
        var b = _h.Tender(Options(), new ManualTimeProvider(_time.GetUtcNow().AddSeconds(7)));

        var outcomes = await _h.DriveAsync(() => Task.WhenAll(a.RunAsync(IngestTrigger.Manual), b.RunAsync(IngestTrigger.Manual)));

        Assert.All(outcomes, o => Assert.NotEqual(IngestRunStatus.Failed, o.Run.Status));
        Assert.Equal(BackfillFrom.AddDays(3), (await _h.States.GetAsync(IngestSources.Tender)).Watermark);
        Assert.Equal(await ExpectedAsync(BackfillFrom, BackfillFrom.AddDays(3)), await StoredAsync());
        var snapshot = (await _h.Snapshots.GetLatestAsync(IngestSources.Tender))!;
        Assert.Contains(snapshot.Manifest.Digest, outcomes.Select(o => o.Run.SnapshotDigest));
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

    /// <summary>What the tables must hold after reading [from, to): each window's contracts through the keep rule, merged by contract.</summary>
    private async Task<Dictionary<string, string>> ExpectedAsync(DateTimeOffset from, DateTimeOffset to) =>
        Texts(await ExpectedRecordsAsync(from, to));

    private async Task<Dictionary<string, string>> StoredAsync() => Texts(await StoredContractsAsync());

    private static Dictionary<string, string> Texts(Dictionary<string, ContractNoticeRecord> records) =>
        records.ToDictionary(r => r.Key, r => System.Text.Encoding.UTF8.GetString(SnapshotJson.ToUtf8(r.Value)), StringComparer.Ordinal);

    private async Task<Dictionary<string, ContractNoticeRecord>> ExpectedRecordsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var rtos = await RtoAbns.ReadAsync(_h.Mirror);
        var client = _h.AusTenderClient();
        var expected = new Dictionary<string, ContractNoticeRecord>(StringComparer.Ordinal);
        for (var start = from; start < to; start = start.AddDays(1))
        {
            var window = await _h.DriveAsync(() => client.GetWindowAsync(start, start.AddDays(1)));
            foreach (var contract in window.Contracts)
            {
                var education = contract.Categories.Any(c => c.StartsWith("86", StringComparison.Ordinal));
                var rto = rtos.CodesOf(contract).Count > 0;
                if (education || rto || expected.ContainsKey(contract.ContractId))
                {
                    var merged = expected.TryGetValue(contract.ContractId, out var existing) ? ContractNoticeRecord.Merge(existing, contract) : contract;
                    expected[contract.ContractId] = merged with { RtoCodes = rtos.CodesOf(merged) };
                }
            }
        }

        return expected;
    }

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

    /// <summary>A snapshot store whose writes fail as a crash would.</summary>
    private sealed class CrashingSnapshots(ISnapshotStore inner) : ISnapshotStore
    {
        public Task<SnapshotWriteResult> WriteAsync(Snapshot snapshot, CancellationToken cancellationToken = default) => throw new IOException("the instance stopped");

        public Task<Snapshot?> GetLatestAsync(string source, CancellationToken cancellationToken = default) => inner.GetLatestAsync(source, cancellationToken);

        public Task<Snapshot?> GetAsync(string source, string digest, CancellationToken cancellationToken = default) => inner.GetAsync(source, digest, cancellationToken);
    }
}
