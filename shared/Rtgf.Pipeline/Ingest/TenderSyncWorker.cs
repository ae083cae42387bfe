using System.Text.Json;
using Rtgf.Ingestion.AusTender;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Storage;

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

        // AusTender takes whole seconds: windows run between whole seconds, and a window under a second is not read.
        var start = WholeSeconds(state.Watermark ?? options.BackfillFrom ?? now.AddYears(-1));
        var limit = WholeSeconds(now.AddMinutes(-options.SettleMinutes));
        var run = new IngestRun(runId, Source, trigger, now, IngestRunStatus.Running, WindowStart: start, PreviousSnapshotDigest: state.SnapshotDigest);
        if (!await runs.TryStartAsync(run, cancellationToken).ConfigureAwait(false))
        {
            var existing = await runs.GetAsync(Source, runId, cancellationToken).ConfigureAwait(false);
            return new IngestOutcome(existing?.Run ?? run, null);
        }

        var steps = new RunSteps(time);
        Exception? atmFailure = null;
        string? atmStep = null;
        try
        {
            var contractTable = tables.Open(IngestTables.TenderContracts);
            var tenderTable = tables.Open(IngestTables.Tenders);
            var rtos = await steps.RunAsync("read-rto-abns", () => RtoAbns.ReadAsync(mirror, cancellationToken), r => r.Count).ConfigureAwait(false);
            var kept = await steps.RunAsync("read-kept-contracts", () => ContractIdsAsync(contractTable, cancellationToken), k => k.Count).ConfigureAwait(false);
            long releases = 0, changed = 0;
            var windows = 0;
            var watermark = start;
            using (RawPayloadCapture.Begin(raw, $"{Source}/{runId}/"))
            {
                await steps.RunAsync("windows", async () =>
                {
                    while (windows < options.MaxWindowsPerRun && limit - watermark >= MinimumWindow)
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

                // The RSS is another host and another format: its failure must not hold back the contracts' snapshot.
                try
                {
                    var current = await steps.RunAsync("fetch-atms", () => atms.GetCurrentAsync(cancellationToken), t => t.Count).ConfigureAwait(false);
                    changed += await steps.RunAsync("store-atms", () => StoreTendersAsync(tenderTable, current, runId, cancellationToken), n => n).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    atmFailure = e;
                    atmStep = steps.Current;
                }
            }

            run = run with { Records = releases, Changed = changed, ServerTime = watermark };

            // Back-filling (more than a window behind): no snapshot until caught up, or each month of the back-fill would be
            // a snapshot and the radar would report months-old contracts as new.
            var behind = limit - watermark;
            if (behind > TenderSyncOptions.WindowLength)
            {
                steps.Run(BackfillingStep, () => (long)Math.Ceiling(behind / TenderSyncOptions.WindowLength), n => n);
                var backfillStatus = changed > 0 ? IngestRunStatus.Succeeded : IngestRunStatus.NoChange;
                return new IngestOutcome(await FinishAsync(run with { Status = backfillStatus, Steps = steps.Steps }, atmFailure, atmStep, steps, cancellationToken).ConfigureAwait(false), null);
            }

            var (digest, written) = await PublishAsync(contractTable, tenderTable, runId, now, start, watermark, steps, cancellationToken).ConfigureAwait(false);
            var status = written || digest is null ? IngestRunStatus.Succeeded : IngestRunStatus.NoChange;
            return new IngestOutcome(await FinishAsync(run with { Status = status, SnapshotDigest = digest, Steps = steps.Steps }, atmFailure, atmStep, steps, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failed = await _recorder.FailAsync(run, e, steps.Current, steps.Steps, cancellationToken).ConfigureAwait(false);
            return new IngestOutcome(failed, null);
        }
    }

    /// <summary>The step a back-filling run records instead of a snapshot (its count: whole windows still to read).</summary>
    public const string BackfillingStep = "backfilling";

    /// <summary>The step that claims the right to publish (count 1; 0 when another run holds the claim and publishes).</summary>
    public const string ClaimStep = "claim-publish";

    private static readonly TimeSpan MinimumWindow = TimeSpan.FromSeconds(1);

    internal static DateTimeOffset WholeSeconds(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>Completes the run, or fails it naming the ATM step when the RSS failed (the contract part is done by then).</summary>
    private Task<IngestRun> FinishAsync(IngestRun run, Exception? atmFailure, string? atmStep, RunSteps steps, CancellationToken cancellationToken) =>
        atmFailure is null
            ? _recorder.CompleteAsync(run, cancellationToken)
            : _recorder.FailAsync(run, atmFailure, atmStep, steps.Steps, cancellationToken);

    /// <summary>
    /// Builds and publishes the snapshot under a claim held in the source's state (<see cref="SourceState.Cursor"/>), so
    /// snapshots are built and published one run at a time: a run builds only after claiming, so it sees every row the
    /// previous publisher saw, and the latest snapshot never moves back to one built earlier. A run that finds the claim
    /// held leaves its rows to that run or the next one. A claim expires (<see cref="TenderSyncOptions.PublishClaimMinutes"/>)
    /// so a crashed holder does not block publishing. Returns the published digest, the unchanged latest's, or null when
    /// another run holds the claim.
    /// </summary>
    private async Task<(string? Digest, bool Written)> PublishAsync(
        IRecordTable contractTable, IRecordTable tenderTable, string runId, DateTimeOffset now, DateTimeOffset from, DateTimeOffset to, RunSteps steps, CancellationToken cancellationToken)
    {
        var claim = new PublishClaim(runId, time.GetUtcNow().AddMinutes(options.PublishClaimMinutes)).Text;
        var claimed = await steps.RunAsync(ClaimStep, async () =>
        {
            var after = await states.UpdateAsync(
                Source, s => PublishClaim.Parse(s.Cursor) is { } held && held.Expires > time.GetUtcNow() && s.Cursor != claim ? s : s with { Cursor = claim },
                cancellationToken).ConfigureAwait(false);
            return after.Cursor == claim;
        }, c => c ? 1 : 0).ConfigureAwait(false);
        if (!claimed)
        {
            return (null, false);
        }

        try
        {
            var snapshot = await steps.RunAsync("build-snapshot", () => BuildSnapshotAsync(contractTable, tenderTable, runId, now, from, to, cancellationToken), s => s.Manifest.RecordCount).ConfigureAwait(false);
            var latest = await states.GetAsync(Source, cancellationToken).ConfigureAwait(false);
            if (latest.Cursor != claim)
            {
                return (null, false); // the claim expired and another run took it: that run publishes
            }

            var digest = snapshot.Manifest.Digest;
            var written = digest != latest.SnapshotDigest;
            if (written)
            {
                await steps.RunAsync("write-snapshot", () => snapshots.WriteAsync(snapshot, cancellationToken), r => r.Created ? 1 : 0).ConfigureAwait(false);
            }

            await states.UpdateAsync(Source, s => s.Cursor == claim ? s with { SnapshotDigest = digest, Cursor = null } : s, cancellationToken).ConfigureAwait(false);
            return (digest, written);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failure we see lets the claim go at once (a crash leaves it to expire); the run still fails.
            await states.UpdateAsync(Source, s => s.Cursor == claim ? s with { Cursor = null } : s, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The publish claim as stored in the tender state's <c>Cursor</c>: <c>publish {runId} {expires}</c>.</summary>
    internal sealed record PublishClaim(string RunId, DateTimeOffset Expires)
    {
        private const string Prefix = "publish ";

        public string Text => Prefix + RunId + " " + ContractNoticeJson.InstantText(Expires);

        public static PublishClaim? Parse(string? text)
        {
            var parts = text is not null && text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..].Split(' ') : [];
            return parts.Length == 2 && DateTimeOffset.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var expires)
                ? new PublishClaim(parts[0], expires)
                : null;
        }
    }

    private static async Task<HashSet<string>> ContractIdsAsync(IRecordTable table, CancellationToken cancellationToken) =>
        [.. (await table.GetPartitionAsync(ContractPartition, cancellationToken).ConfigureAwait(false)).Select(r => r.Row.RecordKey[ContractNoticeRecord.KeyPrefix.Length..])];

    /// <summary>Merges the release into the stored contract by conditional write (re-read and re-merged on a conflict); 1 when the row changed.</summary>
    private static async Task<long> StoreContractAsync(IRecordTable table, ContractNoticeRecord incoming, RtoAbns rtos, string runId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var stored = await table.GetAsync(ContractPartition, TableKeys.Escape(incoming.ContractId), cancellationToken).ConfigureAwait(false);
            var merged = incoming;
            if (stored is not null)
            {
                using var json = JsonDocument.Parse(stored.Row.Json);
                merged = ContractNoticeRecord.Merge(ContractNoticeRecord.Read(json.RootElement), incoming);
            }

            merged = rtos.Match(merged);
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
