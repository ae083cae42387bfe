using Rtgf.Ingestion.Tga;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// <c>tga-sync</c>: reads TGA's server time, lists components and organisations modified, and those deleted, in
/// [watermark, server time), writes the run's batch ledger and returns the batches to fan out. It never moves the
/// watermark while batches are pending (the run with no batches moves it at once). Runs still open when a new run
/// starts are closed as failed: their window is covered again, because the watermark did not move.
/// A mirror whose organisation records predate <see cref="OrganisationRecordVersion"/> (read before the versioned
/// organisation service, so without registration status, contacts or locations) has its organisations read again in full,
/// once, by itself: the run lists every organisation from the initial watermark, and the version is recorded with the
/// watermark when that window completes (a run that fails leaves it unrecorded, so the next run reads them all again).
/// Components the same way with <see cref="ComponentRecordVersion"/>.
/// </summary>
public sealed class TgaSyncWorker(
    TgaSoapClient soap, IIngestRunLog runs, ISourceStateStore states, IBatchLedger ledger, IRawPayloadStore raw, IngestOptions options, TimeProvider time)
{
    /// <summary>
    /// The version of the mirror's organisation records: 2 since organisations are read on the versioned service
    /// (<c>OrganisationServiceV13</c>: registration status, contacts, locations). Raise it when a change to how organisations
    /// are read needs every stored one read again.
    /// </summary>
    public const int OrganisationRecordVersion = 2;

    /// <summary>
    /// The version of the mirror's component records: 2 since components carry their classifications (the ANZSCO
    /// identifier that links a qualification to occupations). Raise it when a change to how components are read needs every
    /// stored one read again.
    /// </summary>
    public const int ComponentRecordVersion = 2;

    private readonly RunRecorder _recorder = new(runs, states, time);

    public async Task<TgaSyncOutcome> RunAsync(IngestTrigger trigger, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var runId = IngestRunIds.For(IngestSources.Tga, now);
        var state = await states.GetAsync(IngestSources.Tga, cancellationToken).ConfigureAwait(false);
        var since = state.Watermark ?? options.TgaInitialWatermark;
        // The earlier of the two: an initial watermark set later than this mirror's watermark must not skip the changes between.
        var organisationsSince = (state.OrganisationRecords ?? 1) < OrganisationRecordVersion && options.TgaInitialWatermark < since ? options.TgaInitialWatermark : since;
        var componentsSince = (state.ComponentRecords ?? 1) < ComponentRecordVersion && options.TgaInitialWatermark < since ? options.TgaInitialWatermark : since;
        var run = new IngestRun(
            runId, IngestSources.Tga, trigger, now, IngestRunStatus.Running, WindowStart: since, PreviousSnapshotDigest: state.SnapshotDigest,
            OrganisationsWindowStart: organisationsSince == since ? null : organisationsSince,
            ComponentsWindowStart: componentsSince == since ? null : componentsSince);
        if (!await runs.TryStartAsync(run, cancellationToken).ConfigureAwait(false))
        {
            var existing = await runs.GetAsync(IngestSources.Tga, runId, cancellationToken).ConfigureAwait(false);
            return new TgaSyncOutcome(existing?.Run ?? run, []); // the same trigger again: its batches went out with the first
        }

        await CloseAbandonedAsync(runId, cancellationToken).ConfigureAwait(false);
        var steps = new RunSteps(time);
        try
        {
            DateTimeOffset serverTime;
            IReadOnlyList<TrainingComponentSummary> components;
            IReadOnlyList<OrganisationSummary> organisations;
            IReadOnlyList<DeletedEntry> deletedComponents;
            IReadOnlyList<DeletedEntry> deletedOrganisations;
            using (RawPayloadCapture.Begin(raw, $"{IngestSources.Tga}/{runId}/"))
            {
                serverTime = await steps.RunAsync("server-time", () => soap.GetServerTimeAsync(TgaService.TrainingComponent, cancellationToken), _ => 1).ConfigureAwait(false);

                // TGA's end date is exclusive, and a change may carry exactly the server time we just read: search one
                // second past it. The next run starts at the watermark (the server time), so the overlap is read twice,
                // which the mirror's newer-or-equal rule makes harmless.
                var until = serverTime.AddSeconds(1);
                components = await steps.RunAsync("search-components", () => soap.SearchComponentsByModifiedDateAsync(componentsSince, until, TrainingComponentTypeFilter.All, cancellationToken), r => r.Count).ConfigureAwait(false);
                organisations = await steps.RunAsync("search-organisations", () => soap.SearchOrganisationsByModifiedDateAsync(organisationsSince, until, cancellationToken), r => r.Count).ConfigureAwait(false);
                deletedComponents = await steps.RunAsync("search-deleted-components", () => soap.SearchDeletedComponentsAsync(since, until, cancellationToken), r => r.Count).ConfigureAwait(false);
                deletedOrganisations = await steps.RunAsync("search-deleted-organisations", () => soap.SearchDeletedOrganisationsAsync(since, until, cancellationToken), r => r.Count).ConfigureAwait(false);
            }

            var batches = new List<TgaIngestBatch>();
            AddBatches(batches, runId, TgaBatchKind.Components, components.Select(c => new TgaBatchItem(c.Code)));
            AddBatches(batches, runId, TgaBatchKind.Organisations, organisations.Select(o => new TgaBatchItem(o.Code)));
            AddBatches(batches, runId, TgaBatchKind.DeletedComponents, deletedComponents.Select(d => new TgaBatchItem(d.Code, d.UpdatedDate)));
            AddBatches(batches, runId, TgaBatchKind.DeletedOrganisations, deletedOrganisations.Select(d => new TgaBatchItem(d.Code, d.UpdatedDate)));
            var records = batches.Sum(b => (long)b.Items.Count);
            run = run with { ServerTime = serverTime, Records = records, Batches = batches.Count };
            if (batches.Count == 0)
            {
                // Nothing pending, so the window is done: the watermark moves now.
                await states.UpdateAsync(IngestSources.Tga, s => WindowDone(s, run, serverTime, options), cancellationToken).ConfigureAwait(false);
                var unchanged = await _recorder.CompleteAsync(run with { Status = IngestRunStatus.NoChange, SnapshotDigest = state.SnapshotDigest, Steps = steps.Steps }, cancellationToken).ConfigureAwait(false);
                return new TgaSyncOutcome(unchanged, []);
            }

            await steps.RunAsync("write-ledger", async () => { await ledger.CreateAsync(runId, batches.Count, cancellationToken).ConfigureAwait(false); return batches.Count; }, n => n).ConfigureAwait(false);
            run = run with { Steps = steps.Steps };
            await runs.ReplaceAsync(run, cancellationToken).ConfigureAwait(false);
            return new TgaSyncOutcome(run, batches);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failed = await _recorder.FailAsync(run, e, steps.Current, steps.Steps, cancellationToken).ConfigureAwait(false);
            return new TgaSyncOutcome(failed, []);
        }
    }

    /// <summary>
    /// The state once <paramref name="run"/>'s window is done: the watermark at its server time, and the organisation
    /// records' version when the run read every organisation (from the initial watermark), and the component records' likewise.
    /// </summary>
    internal static SourceState WindowDone(SourceState state, IngestRun run, DateTimeOffset serverTime, IngestOptions options) => state with
    {
        Watermark = Later(state.Watermark, serverTime),
        OrganisationRecords = (run.OrganisationsWindowStart ?? run.WindowStart) <= options.TgaInitialWatermark
            ? Math.Max(state.OrganisationRecords ?? 0, OrganisationRecordVersion)
            : state.OrganisationRecords,
        ComponentRecords = (run.ComponentsWindowStart ?? run.WindowStart) <= options.TgaInitialWatermark
            ? Math.Max(state.ComponentRecords ?? 0, ComponentRecordVersion)
            : state.ComponentRecords,
    };

    internal static DateTimeOffset Later(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } value && value > candidate ? value : candidate;

    private void AddBatches(List<TgaIngestBatch> batches, string runId, string kind, IEnumerable<TgaBatchItem> items)
    {
        var distinct = items
            .GroupBy(i => i.Code, StringComparer.Ordinal)
            .Select(g => g.OrderBy(i => i.DeletedAt).Last())
            .OrderBy(i => i.Code, StringComparer.Ordinal);
        foreach (var chunk in distinct.Chunk(Math.Max(1, options.TgaBatchSize)))
        {
            batches.Add(new TgaIngestBatch(runId, batches.Count + 1, kind, chunk));
        }
    }

    private async Task CloseAbandonedAsync(string newRunId, CancellationToken cancellationToken)
    {
        foreach (var open in await runs.ListAsync(IngestSources.Tga, IngestRunStatus.Running, cancellationToken).ConfigureAwait(false))
        {
            if (open.RunId == newRunId)
            {
                continue;
            }

            var pending = (await ledger.GetAsync(open.RunId, cancellationToken).ConfigureAwait(false)).Count(b => !b.Done);
            if (await runs.GetAsync(IngestSources.Tga, open.RunId, cancellationToken).ConfigureAwait(false) is { } current && current.Run.Status == IngestRunStatus.Running)
            {
                var closed = current.Run with
                {
                    Status = IngestRunStatus.Failed,
                    EndedAt = time.GetUtcNow(),
                    Error = current.Run.Error ?? $"superseded by {newRunId} with {pending} of {current.Run.Batches} batch(es) never committed; the new run covers its window again",
                };
                await runs.TryReplaceAsync(closed, current.ETag, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
