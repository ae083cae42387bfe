using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Radar;

/// <summary>What a crawl did: its run, the plans it completed and the items it wrote (re-writes of existing rows included).</summary>
public sealed record RadarCrawlOutcome(IngestRun Run, int Plans, long Items);

/// <summary>
/// <c>radar-crawl</c> (docs/spec/radar.md): turns the changes between the snapshots the cursor reached and the latest
/// snapshots of <c>tga</c>, <c>tender</c> and <c>magda</c> into radar items. Plan once, then compare-and-swap: the plan
/// (from → to digest per source, sequence, time) is recorded in the radar's state row before any item is written, so a
/// retry after a crash or a concurrent crawl finishes the same plan with the same rows; only when all its items are
/// stored is the cursor advanced and the plan cleared, in one conditional write. Items are inserted if absent, so writing
/// a plan's items twice changes nothing.
/// </summary>
public sealed class RadarCrawlWorker(ISnapshotStore snapshots, IRadarItemStore items, IIngestRunLog runs, ISourceStateStore states, TimeProvider time)
{
    /// <summary>The sources the radar reads, in the order a plan lists them.</summary>
    public static IReadOnlyList<string> Sources { get; } = [IngestSources.Magda, IngestSources.Tender, IngestSources.Tga];

    /// <summary>Plans one crawl completes at most (a resumed plan and the one after it, with room to spare).</summary>
    public const int MaxPlansPerCrawl = 4;

    private readonly RunRecorder _recorder = new(runs, states, time);

    public async Task<RadarCrawlOutcome> RunAsync(IngestTrigger trigger, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var runId = IngestRunIds.For(IngestSources.Radar, now);
        var run = new IngestRun(runId, IngestSources.Radar, trigger, now, IngestRunStatus.Running);
        if (!await runs.TryStartAsync(run, cancellationToken).ConfigureAwait(false))
        {
            var existing = await runs.GetAsync(IngestSources.Radar, runId, cancellationToken).ConfigureAwait(false);
            return new RadarCrawlOutcome(existing?.Run ?? run, 0, 0); // the same trigger again: that run speaks for it
        }

        var steps = new RunSteps(time);
        var plans = 0;
        var written = 0L;
        string? reached = null;
        try
        {
            for (var round = 0; round < MaxPlansPerCrawl; round++)
            {
                var latest = new Dictionary<string, Snapshot>(StringComparer.Ordinal);
                var state = await states.GetAsync(IngestSources.Radar, cancellationToken).ConfigureAwait(false);
                var plan = RadarPlan.Parse(state.Plan);
                if (plan is null)
                {
                    var mine = await steps.RunAsync("plan", () => PlanAsync(RadarCursor.Parse(state.Cursor), runId, now, latest, cancellationToken), p => p?.Steps.Count ?? 0).ConfigureAwait(false);
                    if (mine is null)
                    {
                        break; // every source is where the cursor is
                    }

                    var recorded = await states.UpdateAsync(
                        IngestSources.Radar,
                        s => s.Plan is null && s.Cursor == state.Cursor ? s with { Plan = mine.ToJson() } : s,
                        cancellationToken).ConfigureAwait(false);
                    plan = RadarPlan.Parse(recorded.Plan);
                    if (plan is null)
                    {
                        continue; // another crawl completed a plan meanwhile: plan again from its cursor
                    }
                }

                var current = plan;
                written += await steps.RunAsync($"apply-{current.Sequence}", () => ApplyAsync(current, latest, cancellationToken), n => n).ConfigureAwait(false);
                await states.UpdateAsync(
                    IngestSources.Radar,
                    s => RadarPlan.Parse(s.Plan)?.Sequence == current.Sequence ? s with { Cursor = RadarCursor.Parse(s.Cursor).Advance(current).ToJson(), Plan = null } : s,
                    cancellationToken).ConfigureAwait(false);
                plans++;
                reached = string.Join(",", current.Steps.Select(s => $"{s.Source}={s.To}"));
            }

            var final = await _recorder.CompleteAsync(
                run with { Status = plans == 0 ? IngestRunStatus.NoChange : IngestRunStatus.Succeeded, Records = written, Changed = written, Batches = plans, SnapshotDigest = reached, Steps = steps.Steps },
                cancellationToken).ConfigureAwait(false);
            return new RadarCrawlOutcome(final, plans, written);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failed = await _recorder.FailAsync(run with { Records = written, Changed = written, Batches = plans }, e, steps.Current, steps.Steps, cancellationToken).ConfigureAwait(false);
            return new RadarCrawlOutcome(failed, plans, written);
        }
    }

    /// <summary>The next plan, or null when no source's latest snapshot differs from the cursor.</summary>
    private async Task<RadarPlan?> PlanAsync(RadarCursor cursor, string runId, DateTimeOffset now, Dictionary<string, Snapshot> latest, CancellationToken cancellationToken)
    {
        var planSteps = new List<RadarPlanStep>();
        foreach (var source in Sources)
        {
            var snapshot = await snapshots.GetLatestAsync(source, cancellationToken).ConfigureAwait(false);
            var from = cursor.Digests.GetValueOrDefault(source);
            if (snapshot is null || snapshot.Manifest.Digest == from)
            {
                continue;
            }

            latest[source] = snapshot;
            planSteps.Add(new RadarPlanStep(source, from, snapshot.Manifest.Digest));
        }

        return planSteps.Count == 0 ? null : new RadarPlan(cursor.Sequence + 1, now, runId, planSteps);
    }

    /// <summary>Derives and stores the plan's items, source by source; a step without a from digest is a baseline (no items).</summary>
    private async Task<long> ApplyAsync(RadarPlan plan, Dictionary<string, Snapshot> latest, CancellationToken cancellationToken)
    {
        var count = 0L;
        foreach (var step in plan.Steps)
        {
            if (step.From is null)
            {
                continue;
            }

            var before = await snapshots.GetAsync(step.Source, step.From, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The {step.Source} snapshot {step.From} the radar's cursor names is missing.");
            var after = latest.GetValueOrDefault(step.Source) is { } known && known.Manifest.Digest == step.To
                ? known
                : await snapshots.GetAsync(step.Source, step.To, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"The {step.Source} snapshot {step.To} of radar plan {plan.Sequence} is missing.");
            var derived = RadarRules.Derive(new RadarStep(plan.Sequence, plan.ObservedAt, step.Source, step.To), before.Records, after.Records);
            await items.AddAsync(derived, cancellationToken).ConfigureAwait(false);
            count += derived.Count;
        }

        return count;
    }
}
