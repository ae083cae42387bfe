using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Radar;

/// <summary>What a crawl did: its run, the plans it completed and the items it wrote (re-writes of existing rows included).</summary>
public sealed record RadarCrawlOutcome(IngestRun Run, int Plans, long Items);

/// <summary>
/// <c>radar-crawl</c> (docs/spec/radar.md): turns the changes between the snapshots the cursor reached and the snapshots
/// the sources' state rows name (<see cref="SourceState.SnapshotDigest"/>) of <c>tga</c>, <c>tender</c> and <c>magda</c>
/// into radar items. Plan once, then compare-and-swap: the plan (from → to digest per source, sequence, time) is recorded
/// in the radar's state row before any item is written, so a retry after a crash or a concurrent crawl finishes the same
/// plan with the same rows; only when all its items are stored is the cursor advanced and the plan cleared, in one
/// conditional write. Items are inserted if absent, so writing a plan's items twice changes nothing. A plan that fails
/// <see cref="MaxPlanAttempts"/> times is poisoned: every crawl then fails naming it until an operator skips it.
/// </summary>
public sealed class RadarCrawlWorker(ISnapshotStore snapshots, IRadarItemStore items, IIngestRunLog runs, ISourceStateStore states, TimeProvider time)
{
    /// <summary>The sources the radar reads, in the order a plan lists them.</summary>
    public static IReadOnlyList<string> Sources { get; } = [IngestSources.Magda, IngestSources.Tender, IngestSources.Tga];

    /// <summary>Plans one crawl completes at most (a resumed plan and the one after it, with room to spare).</summary>
    public const int MaxPlansPerCrawl = 4;

    /// <summary>Attempts at applying one plan before it is poisoned (a deterministic failure would otherwise stop the radar silently, for good).</summary>
    public const int MaxPlanAttempts = 5;

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
        RadarPlan? applying = null;
        try
        {
            for (var round = 0; round < MaxPlansPerCrawl; round++)
            {
                var state = await states.GetAsync(IngestSources.Radar, cancellationToken).ConfigureAwait(false);
                var plan = RadarPlan.Parse(state.Plan);
                if (plan is null)
                {
                    var mine = await steps.RunAsync("plan", () => PlanAsync(RadarCursor.Parse(state.Cursor), runId, now, cancellationToken), p => p?.Steps.Count ?? 0).ConfigureAwait(false);
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

                    // Recording the plan counted this crawl's attempt; applying another crawl's plan is an attempt of its own.
                    plan = plan.RunId == runId && plan.Sequence == mine.Sequence ? plan : await ClaimAsync(plan, cancellationToken).ConfigureAwait(false);
                }
                else if (!plan.Skip)
                {
                    plan = await ClaimAsync(plan, cancellationToken).ConfigureAwait(false);
                }

                if (plan is null)
                {
                    continue; // completed by another crawl meanwhile
                }

                var current = plan;
                if (current.Skip)
                {
                    // The operator's way past a poisoned plan: the cursor moves to its digests and the plan raises nothing.
                    await steps.RunAsync($"skip-{current.Sequence}", () => AdvanceAsync(current, cancellationToken), _ => 0).ConfigureAwait(false);
                }
                else
                {
                    applying = current;
                    written += await steps.RunAsync($"apply-{current.Sequence}", () => ApplyAsync(current, cancellationToken), n => n).ConfigureAwait(false);
                    await AdvanceAsync(current, cancellationToken).ConfigureAwait(false);
                    applying = null;
                }

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
            if (applying is { } failedPlan)
            {
                // Kept with the plan, so the crawl that finds it poisoned can still say why.
                var error = ErrorLines.For(e, steps.Current);
                await states.UpdateAsync(
                    IngestSources.Radar,
                    s => RadarPlan.Parse(s.Plan) is { } p && p.Sequence == failedPlan.Sequence ? s with { Plan = (p with { Error = error }).ToJson() } : s,
                    cancellationToken).ConfigureAwait(false);
            }

            var failed = await _recorder.FailAsync(run with { Records = written, Changed = written, Batches = plans }, e, steps.Current, steps.Steps, cancellationToken).ConfigureAwait(false);
            return new RadarCrawlOutcome(failed, plans, written);
        }
    }

    /// <summary>
    /// Counts one more attempt at a recorded plan (compare-and-swap on its sequence) and returns it; null when another crawl
    /// completed it meanwhile. A plan already tried <see cref="MaxPlanAttempts"/> times is poisoned and not applied again.
    /// </summary>
    private async Task<RadarPlan?> ClaimAsync(RadarPlan plan, CancellationToken cancellationToken)
    {
        var poisoned = false;
        var updated = await states.UpdateAsync(
            IngestSources.Radar,
            s =>
            {
                poisoned = false;
                if (RadarPlan.Parse(s.Plan) is not { } p || p.Sequence != plan.Sequence || p.Skip)
                {
                    return s;
                }

                poisoned = p.Attempts >= MaxPlanAttempts;
                return poisoned ? s : s with { Plan = (p with { Attempts = p.Attempts + 1 }).ToJson() };
            },
            cancellationToken).ConfigureAwait(false);
        var claimed = RadarPlan.Parse(updated.Plan);
        if (poisoned && claimed is { } p)
        {
            throw new RadarPlanPoisonedException(p);
        }

        return claimed is { } c && c.Sequence == plan.Sequence ? c : null;
    }

    /// <summary>Advances the cursor to the plan's digests and clears the plan, only if the row still holds it.</summary>
    private Task<SourceState> AdvanceAsync(RadarPlan plan, CancellationToken cancellationToken) =>
        states.UpdateAsync(
            IngestSources.Radar,
            s => RadarPlan.Parse(s.Plan)?.Sequence == plan.Sequence ? s with { Cursor = RadarCursor.Parse(s.Cursor).Advance(plan).ToJson(), Plan = null } : s,
            cancellationToken);

    /// <summary>
    /// The next plan, or null when no source's state names a snapshot other than the cursor's. A source sets its state's
    /// <see cref="SourceState.SnapshotDigest"/> only after the snapshot is written, so the digest always names a complete
    /// snapshot; planning from those rows reads three small rows, not the latest snapshots.
    /// </summary>
    private async Task<RadarPlan?> PlanAsync(RadarCursor cursor, string runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var planSteps = new List<RadarPlanStep>();
        foreach (var source in Sources)
        {
            var digest = (await states.GetAsync(source, cancellationToken).ConfigureAwait(false)).SnapshotDigest;
            var from = cursor.Digests.GetValueOrDefault(source);
            if (digest is null || digest == from)
            {
                continue;
            }

            planSteps.Add(new RadarPlanStep(source, from, digest));
        }

        return planSteps.Count == 0 ? null : new RadarPlan(cursor.Sequence + 1, now, runId, planSteps) { Attempts = 1 };
    }

    /// <summary>Derives and stores the plan's items, source by source; a step without a from digest is a baseline (no items).</summary>
    private async Task<long> ApplyAsync(RadarPlan plan, CancellationToken cancellationToken)
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
            var after = await snapshots.GetAsync(step.Source, step.To, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The {step.Source} snapshot {step.To} of radar plan {plan.Sequence} is missing.");
            var derived = RadarRules.Derive(new RadarStep(plan.Sequence, plan.ObservedAt, step.Source, step.To), before.Records, after.Records);
            await items.AddAsync(derived, cancellationToken).ConfigureAwait(false);
            count += derived.Count;
        }

        return count;
    }
}

/// <summary>A recorded plan failed <see cref="RadarCrawlWorker.MaxPlanAttempts"/> times; the crawl stops until an operator skips it (docs/spec/radar.md).</summary>
/// <remarks>The operator's instruction comes before the last error, which may be long: a run's error is cut at 1,000 characters.</remarks>
public sealed class RadarPlanPoisonedException(RadarPlan plan) : InvalidOperationException(
    $"Radar plan {plan.Sequence} is poisoned after {plan.Attempts} failed attempts. To skip it, set \"skip\":true in the Plan JSON "
    + $"of the radar's watermarks row (docs/spec/radar.md, Poisoned plans). Last error: {plan.Error ?? "none recorded"}")
{
    public RadarPlan Plan { get; } = plan;
}
