using System.Text.Json;
using Rtgf.Ingestion.AusTender;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// <c>tender-sync</c>: AusTender incrementally. The source's <see cref="SourceState.Watermark"/> is the end of the last
/// window whose kept contract notices are all stored; a run reads up to <see cref="TenderSyncOptions.MaxWindowsPerRun"/>
/// one-day <c>contractLastModified</c> windows from it (first run: <see cref="TenderSyncOptions.BackfillFrom"/>) up to now
/// less the settle margin, merges each kept release into its <c>contract:</c> row (facts keyed by release id, so a replay
/// or a concurrent run writes the same bytes), and only then moves the watermark (monotonically, by conditional write).
/// It then upserts the kept approaches to market from the RSS and cuts a snapshot of every stored row of both tables when
/// its digest differs from the source's latest. Tenders are not a token family: no compile is asked for.
/// </summary>
public sealed class TenderSyncWorker(
    AusTenderClient contracts, AtmFeedClient atms, TgaMirror mirror, IRecordTables tables, ISnapshotStore snapshots, IIngestRunLog runs,
    ISourceStateStore states, IRawPayloadStore raw, TenderSyncOptions options, TimeProvider time)
{
    /// <summary>The one partition of <c>tendercontracts</c> (row key: the CN number).</summary>
    public const string ContractPartition = "contract";

    /// <summary>The one partition of <c>tenders</c> (row key: the ATM id). A few thousand kept rows a year: one partition reads whole.</summary>
    public const string TenderPartition = "tender";

    private const int MaxWriteAttempts = 8;
    private readonly RunRecorder _recorder = new(runs, states, time);

    public static string Source => IngestSources.Tender;

    public async Task<IngestOutcome> RunAsync(IngestTrigger trigger, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var runId = IngestRunIds.For(Source, now);
        var state = await states.GetAsync(Source, cancellationToken).ConfigureAwait(false);
        var start = state.Watermark ?? options.BackfillFrom ?? now.AddYears(-1);
        var run = new IngestRun(runId, Source, trigger, now, IngestRunStatus.Running, WindowStart: start, PreviousSnapshotDigest: state.SnapshotDigest);
        if (!await runs.TryStartAsync(run, cancellationToken).ConfigureAwait(false))
        {
            var existing = await runs.GetAsync(Source, runId, cancellationToken).ConfigureAwait(false);
            return new IngestOutcome(existing?.Run ?? run, null);
        }

        var steps = new RunSteps(time);
        try
        {
            var contractTable = tables.Open(IngestTables.TenderContracts);
            var tenderTable = tables.Open(IngestTables.Tenders);
            var rtos = await steps.RunAsync("read-rto-abns", () => RtoAbns.ReadAsync(mirror, cancellationToken), r => r.Count).ConfigureAwait(false);
            var kept = await steps.RunAsync("read-kept-contracts", () => ContractIdsAsync(contractTable, cancellationToken), k => k.Count).ConfigureAwait(false);
            var limit = now.AddMinutes(-options.SettleMinutes);
            long releases = 0, changed = 0;
            var windows = 0;
            var watermark = start;
            using (RawPayloadCapture.Begin(raw, $"{Source}/{runId}/"))
            {
                await steps.RunAsync("windows", async () =>
                {
                    while (windows < options.MaxWindowsPerRun && watermark < limit)
                    {
                        var end = watermark + TenderSyncOptions.WindowLength < limit ? watermark + TenderSyncOptions.WindowLength : limit;
                        var window = await contracts.GetWindowAsync(watermark, end, cancellationToken).ConfigureAwait(false);
                        releases += window.Releases;
                        foreach (var contract in window.Contracts)
                        {
                            if (TenderKeepFilter.Keep(contract, rtos, kept.Contains(contract.ContractId)) is { } keep)
                            {
                                changed += await StoreContractAsync(contractTable, keep, rtos, runId, cancellationToken).ConfigureAwait(false);
                                kept.Add(keep.ContractId);
                            }
                        }

                        // The window's rows are stored: only now may the watermark pass it (never backwards: a concurrent run may be ahead).
                        var windowEnd = end;
                        await states.UpdateAsync(Source, s => s.Watermark is { } w && w >= windowEnd ? s : s with { Watermark = windowEnd }, cancellationToken).ConfigureAwait(false);
                        watermark = end;
                        windows++;
                    }

                    return windows;
                }, n => n).ConfigureAwait(false);

                var current = await steps.RunAsync("fetch-atms", () => atms.GetCurrentAsync(cancellationToken), t => t.Count).ConfigureAwait(false);
                changed += await steps.RunAsync("store-atms", () => StoreTendersAsync(tenderTable, current, runId, cancellationToken), n => n).ConfigureAwait(false);
            }

            run = run with { Records = releases, Changed = changed, ServerTime = watermark };
            var snapshot = await steps.RunAsync("build-snapshot", () => BuildSnapshotAsync(contractTable, tenderTable, runId, now, start, watermark, cancellationToken), s => s.Manifest.RecordCount).ConfigureAwait(false);
            var latest = await states.GetAsync(Source, cancellationToken).ConfigureAwait(false);
            if (snapshot.Manifest.Digest == latest.SnapshotDigest)
            {
                var unchanged = await _recorder.CompleteAsync(run with { Status = IngestRunStatus.NoChange, SnapshotDigest = latest.SnapshotDigest, Steps = steps.Steps }, cancellationToken).ConfigureAwait(false);
                return new IngestOutcome(unchanged, null);
            }

            var result = await steps.RunAsync("write-snapshot", () => snapshots.WriteAsync(snapshot, cancellationToken), r => r.Created ? 1 : 0).ConfigureAwait(false);
            await states.UpdateAsync(Source, s => s with { SnapshotDigest = result.Manifest.Digest }, cancellationToken).ConfigureAwait(false);
            var final = await _recorder.CompleteAsync(
                run with { Status = IngestRunStatus.Succeeded, SnapshotDigest = result.Manifest.Digest, Steps = steps.Steps }, cancellationToken).ConfigureAwait(false);
            return new IngestOutcome(final, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failed = await _recorder.FailAsync(run, e, steps.Current, steps.Steps, cancellationToken).ConfigureAwait(false);
            return new IngestOutcome(failed, null);
        }
    }

    private static async Task<HashSet<string>> ContractIdsAsync(IRecordTable table, CancellationToken cancellationToken) =>
        [.. (await table.GetPartitionAsync(ContractPartition, cancellationToken).ConfigureAwait(false)).Select(r => r.Row.RecordKey[ContractNoticeRecord.KeyPrefix.Length..])];

    /// <summary>Merges the release into the stored contract by conditional write (re-read and re-merged on a conflict); 1 when the row changed.</summary>
    private static async Task<long> StoreContractAsync(IRecordTable table, ContractNoticeRecord incoming, RtoAbns rtos, string runId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var stored = await table.GetAsync(ContractPartition, incoming.ContractId, cancellationToken).ConfigureAwait(false);
            var merged = incoming;
            if (stored is not null)
            {
                using var json = JsonDocument.Parse(stored.Row.Json);
                merged = ContractNoticeRecord.Merge(ContractNoticeRecord.Read(json.RootElement), incoming);
            }

            merged = merged with { RtoCodes = rtos.CodesOf(merged) };
            var row = RecordRows.From(merged, ContractPartition, merged.ContractId, merged.LastModified, runId);
            if (stored is not null && stored.Row.Digest == row.Digest)
            {
                return 0;
            }

            if (await table.TryWriteAsync(row, stored?.ETag, cancellationToken).ConfigureAwait(false))
            {
                return 1;
            }
        }

        throw new InvalidOperationException($"{table.Name} {ContractPartition}/{incoming.ContractId}: the row kept changing; gave up after {MaxWriteAttempts} attempts.");
    }

    /// <summary>The RSS lists what is open now: kept items are upserted when they differ; a closed ATM keeps its last row.</summary>
    private static async Task<long> StoreTendersAsync(IRecordTable table, IReadOnlyList<TenderRecord> current, string runId, CancellationToken cancellationToken)
    {
        long changed = 0;
        foreach (var tender in current.Where(t => t.Categories.Any(TenderKeepFilter.IsKeptCategory)))
        {
            var row = RecordRows.From(tender, TenderPartition, tender.AtmId, tender.PublishedDate, runId);
            for (var attempt = 0; ; attempt++)
            {
                var stored = await table.GetAsync(row.PartitionKey, row.RowKey, cancellationToken).ConfigureAwait(false);
                if (stored is not null && stored.Row.Digest == row.Digest)
                {
                    break;
                }

                if (await table.TryWriteAsync(row, stored?.ETag, cancellationToken).ConfigureAwait(false))
                {
                    changed++;
                    break;
                }

                if (attempt >= MaxWriteAttempts)
                {
                    throw new InvalidOperationException($"{table.Name} {row.PartitionKey}/{row.RowKey}: the row kept changing; gave up after {MaxWriteAttempts} attempts.");
                }
            }
        }

        return changed;
    }

    private async Task<Snapshot> BuildSnapshotAsync(
        IRecordTable contractTable, IRecordTable tenderTable, string runId, DateTimeOffset now, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var rows = (await contractTable.GetPartitionAsync(ContractPartition, cancellationToken).ConfigureAwait(false))
            .Concat(await tenderTable.GetPartitionAsync(TenderPartition, cancellationToken).ConfigureAwait(false));
        return SnapshotBuilder.Build(
            Source, runId, now,
            [
                new SnapshotProvenance(contracts.WindowUrl(from, to > from ? to : from.AddSeconds(1)).AbsoluteUri, "austender-ocds-window"),
                new SnapshotProvenance(atms.FeedUrl.AbsoluteUri, "austender-atm-rss"),
            ],
            rows.Where(r => !r.Row.Deleted).Select(r => new StoredRecord(r.Row.RecordKey, r.Row.Json)));
    }
}
