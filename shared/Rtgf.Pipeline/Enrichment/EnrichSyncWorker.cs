using System.Text.Json;
using Rtgf.Ingestion;
using Rtgf.Ingestion.Enrichment;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Storage;

namespace Rtgf.Pipeline.Enrichment;

/// <summary>
/// The enrichment self-chain (<c>enrich-sync</c>, docs/spec/enrichment.md, ADR 0027). The timer starts a run (one at a time:
/// the current-run row is created or replaced by compare-and-swap), resumes a paused one, or re-sends a stalled one's page;
/// each <c>rtgf-enrich-sync</c> message enriches one page of the TGA mirror's organisations (by code, after the cursor),
/// writes a row per RTO, advances the run by compare-and-swap, then sends at most one successor. Every effect is keyed so a
/// crash at any step, a duplicate or a concurrent delivery neither skips nor repeats a page's effects: a row this run
/// already wrote is skipped (so the geocoder is not called again for it), only one delivery advances the run, and a done
/// page's message re-sends the successor only when the run says it was not sent.
/// </summary>
public sealed class EnrichSyncWorker
{
    private const int MaxAttempts = 16;
    private const string RowKey = "enrichment";
    private readonly IRecordTable _organisations;
    private readonly IRecordTable _enrichment;
    private readonly EnrichRunStore _runs;
    private readonly ISourceStateStore _states;
    private readonly IDelayedQueueSender _queue;
    private readonly GeocoderClient _geocoder;
    private readonly DocsProxyClient? _docs;
    private readonly TrustProxyClient? _trust;
    private readonly EnrichOptions _options;
    private readonly TimeProvider _time;

    /// <summary>The docs and trust proxies are null when not configured: then no page metadata or trust signals are fetched.</summary>
    public EnrichSyncWorker(
        IRecordTables tables, EnrichRunStore runs, ISourceStateStore states, IDelayedQueueSender queue,
        GeocoderClient geocoder, DocsProxyClient? docs, TrustProxyClient? trust, EnrichOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        _organisations = tables.Open(IngestTables.TgaOrganisations);
        _enrichment = tables.Open(IngestTables.RtoEnrichment);
        _runs = runs;
        _states = states;
        _queue = queue;
        _geocoder = geocoder;
        _docs = docs;
        _trust = trust;
        _options = options;
        _time = time;
    }

    /// <summary>Test seam: called at each step of a page (<c>before-rows</c>, <c>after-row</c>, <c>after-rows</c>, <c>after-advance</c>, <c>after-send</c>); a throw is a crash there.</summary>
    internal Func<string, Task>? Checkpoint { get; set; }

    public static EnrichPageMessage ReadMessage(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize(body, EnrichJsonContext.Default.EnrichPageMessage);
            return message is { RunId.Length: > 0, Page: >= 0 } ? message : throw new FormatException("An enrich-sync message needs a runId and a page of 0 or more.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"An enrich-sync message is not JSON of {{runId, page, after}}: {e.Message}", e);
        }
    }

    /// <summary>The timer: start, resume or recover a run (nothing when the kill switch is off).</summary>
    public async Task<EnrichOutcome> StartAsync(CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled)
        {
            return new EnrichOutcome(EnrichOutcomeKind.Disabled, (await _runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false))?.Run, Reason: "Enrich:Enabled is false");
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            if (current is not { Run: var run, ETag: var etag } || run.Status == EnrichRunStatus.Done)
            {
                var runId = IngestRunIds.For(IngestSources.Enrich, now);
                if (current?.Run.RunId == runId)
                {
                    return new EnrichOutcome(EnrichOutcomeKind.Running, current.Value.Run, Reason: "this trigger's run is done");
                }

                var total = await _organisations.CountLiveAsync(cancellationToken).ConfigureAwait(false);
                var started = new EnrichRun(runId, EnrichRunStatus.Active, 0, null, 0, total, now, now);
                if (!await _runs.TryReplaceCurrentAsync(started, current?.ETag, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                await _states.UpdateAsync(IngestSources.Enrich, s => s with { LastRunId = runId, LastStatus = IngestRunStatus.Running }, cancellationToken).ConfigureAwait(false);
                return await SendCurrentAsync(EnrichOutcomeKind.Started, started, cancellationToken).ConfigureAwait(false);
            }

            if (run.Status == EnrichRunStatus.Paused)
            {
                var resumed = run with { Status = EnrichRunStatus.Active, PausedReason = null, UpdatedAt = now, Sent = false };
                if (await _runs.TryReplaceCurrentAsync(resumed, etag, cancellationToken).ConfigureAwait(false))
                {
                    await _states.UpdateAsync(IngestSources.Enrich, s => s with { LastRunId = run.RunId, LastStatus = IngestRunStatus.Running }, cancellationToken).ConfigureAwait(false);
                    return await SendCurrentAsync(EnrichOutcomeKind.Resumed, resumed, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            if (now - run.UpdatedAt < _options.StallAfter)
            {
                return new EnrichOutcome(EnrichOutcomeKind.Running, run);
            }

            // No progress for a stall interval: the page's message was lost (poisoned, or sent never). Send it again; the
            // stamp makes the next timer wait another interval, and a duplicate it might create is harmless.
            var recovered = run with { UpdatedAt = now, Sent = false };
            if (await _runs.TryReplaceCurrentAsync(recovered, etag, cancellationToken).ConfigureAwait(false))
            {
                return await SendCurrentAsync(EnrichOutcomeKind.Recovered, recovered, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"The enrichment run row kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>One page message.</summary>
    public async Task<EnrichOutcome> RunPageAsync(EnrichPageMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var current = await _runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        if (current is not { Run: var run, ETag: var etag } || run.RunId != message.RunId)
        {
            return new EnrichOutcome(EnrichOutcomeKind.Ignored, current?.Run, Reason: "not the current run");
        }

        if (run.Status != EnrichRunStatus.Active)
        {
            return new EnrichOutcome(EnrichOutcomeKind.Ignored, run, Reason: "the run is " + run.Status);
        }

        if (message.Page != run.Page)
        {
            if (message.Page == run.Page - 1 && !run.Sent)
            {
                // The page is done but its successor was never sent (a crash between the advance and the send).
                return await SendCurrentAsync(EnrichOutcomeKind.Resent, run, cancellationToken).ConfigureAwait(false);
            }

            return new EnrichOutcome(EnrichOutcomeKind.Ignored, run, Reason: message.Page < run.Page ? "the page is done" : "the page is not due yet");
        }

        if (!_options.Enabled)
        {
            return await PauseAsync(run, etag, "Enrich:Enabled is false (the kill switch); the next timer resumes the run when it is true", error: false, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await EnrichPageAsync(run, etag, cancellationToken).ConfigureAwait(false);
        }
        catch (GeocoderQuotaException e)
        {
            return await PauseAsync(run, etag, e.Message, error: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && Checkpoint is null)
        {
            // (A crash simulated through the checkpoint records nothing, as a dead process would not.)
            await RecordErrorAsync(run.RunId, e, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<EnrichOutcome> EnrichPageAsync(EnrichRun run, string etag, CancellationToken cancellationToken)
    {
        var after = run.After is null ? null : TableKeys.Escape(run.After);
        var rows = await _organisations.ReadPageAsync(after, _options.PageSize, cancellationToken).ConfigureAwait(false);
        await StepAsync("before-rows").ConfigureAwait(false);
        var counts = new PageCounts();
        var targets = rows.Select(r => EnrichTarget.From(r.Json)).ToList();
        var last = targets.Count > 0 ? targets[^1].Code : null;

        // A page's RTOs in parallel (bounded): one at a time, the round trips, not the geocoder's rate, would set the pace.
        // Each RTO runs on the caller's token, not the loop's: after one fails, those in flight still write their rows (a
        // geocode paid for is kept); no new ones start.
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency }, async (target, _) =>
        {
            counts.Add(await EnrichOneAsync(target, run, cancellationToken).ConfigureAwait(false));
            await StepAsync("after-row").ConfigureAwait(false);
        }).ConfigureAwait(false);

        await StepAsync("after-rows").ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var finished = rows.Count < _options.PageSize;
        var advanced = run with
        {
            Page = run.Page + 1,
            After = last ?? run.After,
            Done = run.Done + rows.Count,
            Total = Math.Max(run.Total, run.Done + rows.Count),
            Geocoded = run.Geocoded + counts.Geocoded,
            NoResult = run.NoResult + counts.NoResult,
            NoAddress = run.NoAddress + counts.NoAddress,
            Websites = run.Websites + counts.Websites,
            UpdatedAt = now,
            Sent = false,
            Status = finished ? EnrichRunStatus.Done : EnrichRunStatus.Active,
            CompletedAt = finished ? now : null,
        };
        if (!await _runs.TryReplaceCurrentAsync(advanced, etag, cancellationToken).ConfigureAwait(false))
        {
            // A concurrent delivery of this page advanced first (its rows are these rows); it sends the successor.
            return new EnrichOutcome(EnrichOutcomeKind.Ignored, run, Reason: "another delivery advanced the run");
        }

        await StepAsync("after-advance").ConfigureAwait(false);
        if (finished)
        {
            await _runs.KeepAsync(advanced, cancellationToken).ConfigureAwait(false);
            await _states.UpdateAsync(IngestSources.Enrich, s => s with { LastRunId = run.RunId, LastStatus = IngestRunStatus.Succeeded, LastSuccessAt = now, LastSuccessRunId = run.RunId }, cancellationToken).ConfigureAwait(false);
            return new EnrichOutcome(EnrichOutcomeKind.Completed, advanced);
        }

        return await SendCurrentAsync(EnrichOutcomeKind.Advanced, advanced, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the message for the run's current page, then records that it was sent (best effort: the stall recovery covers a lost mark).</summary>
    private async Task<EnrichOutcome> SendCurrentAsync(EnrichOutcomeKind kind, EnrichRun run, CancellationToken cancellationToken)
    {
        var message = new EnrichPageMessage(run.RunId, run.Page, run.After);
        await _queue.SendAsync(PipelineQueues.EnrichSync, JsonSerializer.Serialize(message, EnrichJsonContext.Default.EnrichPageMessage), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        await StepAsync("after-send").ConfigureAwait(false);
        if (await _runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false) is { Run: var now, ETag: var etag } && now.RunId == run.RunId && now.Page == run.Page && !now.Sent)
        {
            var marked = now with { Sent = true };
            if (await _runs.TryReplaceCurrentAsync(marked, etag, cancellationToken).ConfigureAwait(false))
            {
                return new EnrichOutcome(kind, marked, message);
            }
        }

        return new EnrichOutcome(kind, run, message);
    }

    private async Task<RtoOutcome> EnrichOneAsync(EnrichTarget target, EnrichRun run, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Escape(target.Code);
        var stored = await _enrichment.GetAsync(partition, RowKey, cancellationToken).ConfigureAwait(false);
        if (stored?.Row.RunId == run.RunId)
        {
            return RtoOutcome.Of(stored.Row.Json); // written by this run before a crash or by a concurrent delivery
        }

        GeocodeResult? geocode = null;
        if (target.Address is { } address)
        {
            geocode = await _geocoder.GeocodeAsync(address, cancellationToken).ConfigureAwait(false);
        }

        PageMetadata? docs = null;
        TrustSignals? trust = null;
        if (target.Website is { } website)
        {
            docs = _docs is null ? null : await Refusable(() => _docs.GetPageAsync(website, cancellationToken), m => new PageMetadata(website.AbsoluteUri, false, Problem: m)).ConfigureAwait(false);
            trust = _trust is null ? null : await Refusable(() => _trust.GetSignalsAsync(website, cancellationToken), m => new TrustSignals(website.AbsoluteUri, false, Problem: m)).ConfigureAwait(false);
        }

        var record = new RtoEnrichmentRecord(target.Code, run.RunId, run.Page, target.Address, geocode, target.Website?.AbsoluteUri, docs, trust);
        var row = RecordRows.From(record, target.Code, RowKey, _time.GetUtcNow(), run.RunId);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await _enrichment.TryWriteAsync(row, stored?.ETag, cancellationToken).ConfigureAwait(false))
            {
                return RtoOutcome.Of(row.Json);
            }

            stored = await _enrichment.GetAsync(partition, RowKey, cancellationToken).ConfigureAwait(false);
            if (stored?.Row.RunId == run.RunId)
            {
                return RtoOutcome.Of(stored.Row.Json); // a concurrent delivery wrote the same RTO for this run
            }
        }

        throw new InvalidOperationException($"{IngestTables.RtoEnrichment} {target.Code}: the row kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>A proxy answer that breaks the contract is recorded for that site (and logged by the run), not a reason to stop the chain.</summary>
    private static async Task<T> Refusable<T>(Func<Task<T>> call, Func<string, T> refused)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (UpstreamFormatException e)
        {
            return refused("refused: " + (e.Message.Length <= 200 ? e.Message : e.Message[..200] + "…"));
        }
    }

    private async Task<EnrichOutcome> PauseAsync(EnrichRun run, string etag, string reason, bool error, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = _time.GetUtcNow();
            var paused = run with { Status = EnrichRunStatus.Paused, PausedReason = reason, UpdatedAt = now, LastError = error ? reason : run.LastError, LastErrorAt = error ? now : run.LastErrorAt };
            if (await _runs.TryReplaceCurrentAsync(paused, etag, cancellationToken).ConfigureAwait(false))
            {
                await _states.UpdateAsync(IngestSources.Enrich, s => error
                    ? s with { LastRunId = run.RunId, LastStatus = EnrichRunStatus.Paused, LastError = reason, LastErrorAt = now }
                    : s with { LastRunId = run.RunId, LastStatus = EnrichRunStatus.Paused }, cancellationToken).ConfigureAwait(false);
                return new EnrichOutcome(EnrichOutcomeKind.Paused, paused, Reason: reason);
            }

            if (await _runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false) is not { Run: var fresh, ETag: var freshTag } || fresh.RunId != run.RunId || fresh.Status != EnrichRunStatus.Active)
            {
                return new EnrichOutcome(EnrichOutcomeKind.Ignored, null, Reason: "the run changed while pausing");
            }

            (run, etag) = (fresh, freshTag);
        }

        throw new InvalidOperationException($"The enrichment run row kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>Notes a failed page on the run (visible in /ops/sync-status) before the host retries it; best effort.</summary>
    private async Task RecordErrorAsync(string runId, Exception exception, CancellationToken cancellationToken)
    {
        var line = ErrorLines.For(exception, "enrich-page");
        if (await _runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false) is { Run: var run, ETag: var etag } && run.RunId == runId)
        {
            _ = await _runs.TryReplaceCurrentAsync(run with { LastError = line, LastErrorAt = _time.GetUtcNow() }, etag, cancellationToken).ConfigureAwait(false);
        }

        await _states.UpdateAsync(IngestSources.Enrich, s => s with { LastError = line, LastErrorAt = _time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
    }

    private Task StepAsync(string step) => Checkpoint is { } checkpoint ? checkpoint(step) : Task.CompletedTask;

    private sealed class PageCounts
    {
        public int Geocoded { get; private set; }

        public int NoResult { get; private set; }

        public int NoAddress { get; private set; }

        public int Websites { get; private set; }

        public void Add(RtoOutcome outcome)
        {
            lock (this)
            {
                Geocoded += outcome.Geocode == "found" ? 1 : 0;
                NoResult += outcome.Geocode == "no-result" ? 1 : 0;
                NoAddress += outcome.Geocode is null ? 1 : 0;
                Websites += outcome.Website ? 1 : 0;
            }
        }
    }

    /// <summary>What a stored enrichment row says, for the run's counts (the same whether written now or before a crash).</summary>
    private sealed record RtoOutcome(string? Geocode, bool Website)
    {
        public static RtoOutcome Of(string json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var geocode = root.GetProperty("geocode") is { ValueKind: JsonValueKind.Object } g ? g.GetProperty("status").GetString() : null;
            return new RtoOutcome(geocode, root.GetProperty("website").ValueKind == JsonValueKind.String);
        }
    }
}
