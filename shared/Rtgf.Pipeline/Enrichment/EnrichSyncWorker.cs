using System.Text.Json;
using Rtgf.Ingestion;
using Rtgf.Ingestion.Enrichment;
using Rtgf.Ingestion.Outbound;
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

    /// <summary>
    /// The timer (every 10 minutes by default): start a run when none is active and the last completed at least
    /// <see cref="EnrichOptions.RunEvery"/> ago, resume a paused one, re-send an active run's page whose message is not known to
    /// be sent (after <see cref="EnrichOptions.ResendAfter"/>), or one without progress for <see cref="EnrichOptions.StallAfter"/>
    /// (a lost or poisoned message). Nothing when the kill switch is off.
    /// </summary>
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
                if (current?.Run is { } done)
                {
                    // A crash after the last page's advance may have lost its bookkeeping: repeat it before the row is replaced.
                    await CompleteAsync(done, cancellationToken).ConfigureAwait(false);
                    if (now - (done.CompletedAt ?? done.UpdatedAt) < _options.RunEvery)
                    {
                        return new EnrichOutcome(EnrichOutcomeKind.Running, done, Reason: "the next run is due " + (done.CompletedAt ?? done.UpdatedAt).Add(_options.RunEvery).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

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

                await StepAsync("after-start").ConfigureAwait(false);
                await _states.UpdateAsync(IngestSources.Enrich, s => s with { LastRunId = runId, LastStatus = IngestRunStatus.Running }, cancellationToken).ConfigureAwait(false);
                return await SendCurrentAsync(EnrichOutcomeKind.Started, started, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }

            if (run.Status == EnrichRunStatus.Paused)
            {
                var resumed = run with { Status = EnrichRunStatus.Active, PausedReason = null, UpdatedAt = now, Sent = false, ClaimPage = null, ClaimUntil = null };
                if (await _runs.TryReplaceCurrentAsync(resumed, etag, cancellationToken).ConfigureAwait(false))
                {
                    await StepAsync("after-resume").ConfigureAwait(false);
                    await _states.UpdateAsync(IngestSources.Enrich, s => s with { LastRunId = run.RunId, LastStatus = IngestRunStatus.Running }, cancellationToken).ConfigureAwait(false);
                    return await SendCurrentAsync(EnrichOutcomeKind.Resumed, resumed, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            // Active. Its page's message is not known to be on the queue (a crash between a start, resume or advance and the
            // send, or before the mark): re-send after a short grace. Or no progress for a stall interval: the message was
            // lost or poisoned. A duplicate this creates is harmless (the page's claim, then its advance, turn it away).
            var unsent = !run.Sent && now - run.UpdatedAt >= _options.ResendAfter;
            if (!unsent && now - run.UpdatedAt < _options.StallAfter)
            {
                return new EnrichOutcome(EnrichOutcomeKind.Running, run);
            }

            var recovered = run with { UpdatedAt = now, Sent = false };
            if (await _runs.TryReplaceCurrentAsync(recovered, etag, cancellationToken).ConfigureAwait(false))
            {
                return await SendCurrentAsync(EnrichOutcomeKind.Recovered, recovered, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"The enrichment run row kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>One page message.</summary>
    public async Task<EnrichOutcome> RunPageAsync(EnrichPageMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false);
            if (current is not { Run: var run, ETag: var etag } || run.RunId != message.RunId)
            {
                return new EnrichOutcome(EnrichOutcomeKind.Ignored, current?.Run, Reason: "not the current run");
            }

            if (run.Status == EnrichRunStatus.Done && message.Page == run.Page - 1)
            {
                // The last page again: a crash after its advance may have lost the completion's bookkeeping; repeat it.
                return await CompleteAsync(run, cancellationToken).ConfigureAwait(false);
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
                    return await SendCurrentAsync(EnrichOutcomeKind.Resent, run, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                }

                return new EnrichOutcome(EnrichOutcomeKind.Ignored, run, Reason: message.Page < run.Page ? "the page is done" : "the page is not due yet");
            }

            if (!_options.Enabled)
            {
                return await PauseAsync(run, etag, "Enrich:Enabled is false (the kill switch); the next timer resumes the run when it is true", error: false, cancellationToken).ConfigureAwait(false);
            }

            var now = _time.GetUtcNow();
            if (run.ClaimPage == run.Page && run.ClaimUntil > now)
            {
                // Another delivery of this page is at work (or crashed, and its claim lapses at ClaimUntil; the timer then re-sends).
                return new EnrichOutcome(EnrichOutcomeKind.Ignored, run, Reason: $"page {run.Page} is claimed by another delivery");
            }

            var claimed = run with { ClaimPage = run.Page, ClaimUntil = now + _options.PageLease };
            if (!await _runs.TryReplaceCurrentAsync(claimed, etag, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            await StepAsync("after-claim").ConfigureAwait(false);
            try
            {
                return await EnrichPageAsync(claimed, cancellationToken).ConfigureAwait(false);
            }
            catch (GeocoderQuotaException e)
            {
                return await PauseAsync(claimed, null, e.Message, error: true, cancellationToken).ConfigureAwait(false);
            }
            catch (GeocoderBusyException e) when (Checkpoint is null)
            {
                // Busy after the client's retries: not a poison. The same page goes back on the queue for later; rows written stay.
                return await DeferAsync(claimed, e, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && Checkpoint is null)
            {
                // (A crash simulated through the checkpoint records nothing, as a dead process would not.)
                await RecordErrorAsync(claimed, e, cancellationToken).ConfigureAwait(false);
                throw;
            }
        }

        throw new InvalidOperationException($"The enrichment run row kept changing; gave up after {MaxAttempts} attempts.");
    }

    private async Task<EnrichOutcome> EnrichPageAsync(EnrichRun run, CancellationToken cancellationToken)
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
        var finished = rows.Count < _options.PageSize;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // The advance is computed from the row as it is now: a successor-sent mark or a timer's stamp may have changed it
            // since the claim, and must not make this delivery give up a page it did.
            if (await _runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false) is not { Run: var fresh, ETag: var etag }
                || fresh.RunId != run.RunId || fresh.Page != run.Page || fresh.Status != EnrichRunStatus.Active)
            {
                return new EnrichOutcome(EnrichOutcomeKind.Ignored, run, Reason: "another delivery advanced the run");
            }

            var now = _time.GetUtcNow();
            var advanced = fresh with
            {
                Page = fresh.Page + 1,
                After = last ?? fresh.After,
                Done = fresh.Done + rows.Count,
                Total = Math.Max(fresh.Total, fresh.Done + rows.Count),
                Geocoded = fresh.Geocoded + counts.Geocoded,
                NoResult = fresh.NoResult + counts.NoResult,
                NoAddress = fresh.NoAddress + counts.NoAddress,
                Websites = fresh.Websites + counts.Websites,
                Refused = fresh.Refused + counts.Refused,
                Reused = fresh.Reused + counts.Reused,
                Skipped = fresh.Skipped + counts.Skipped,
                UpdatedAt = now,
                Sent = false,
                ClaimPage = null,
                ClaimUntil = null,
                Status = finished ? EnrichRunStatus.Done : EnrichRunStatus.Active,
                CompletedAt = finished ? now : null,
            };
            if (!await _runs.TryReplaceCurrentAsync(advanced, etag, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            await StepAsync("after-advance").ConfigureAwait(false);
            return finished
                ? await CompleteAsync(advanced, cancellationToken).ConfigureAwait(false)
                : await SendCurrentAsync(EnrichOutcomeKind.Advanced, advanced, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"The enrichment run row kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>
    /// A done run's bookkeeping: its history row and the source's success. Idempotent (the history row is written once, the
    /// state names the run's own completion time), so it is repeated on a redelivery of the last page and by the timer before
    /// it replaces a done run: a crash after the last advance loses nothing.
    /// </summary>
    private async Task<EnrichOutcome> CompleteAsync(EnrichRun done, CancellationToken cancellationToken)
    {
        await _runs.KeepAsync(done, cancellationToken).ConfigureAwait(false);
        await StepAsync("after-keep").ConfigureAwait(false);
        var at = done.CompletedAt ?? done.UpdatedAt;
        await _states.UpdateAsync(IngestSources.Enrich, s => s.LastSuccessRunId == done.RunId && s.LastStatus == IngestRunStatus.Succeeded
            ? s
            : s with { LastRunId = done.RunId, LastStatus = IngestRunStatus.Succeeded, LastSuccessAt = at, LastSuccessRunId = done.RunId }, cancellationToken).ConfigureAwait(false);
        return new EnrichOutcome(EnrichOutcomeKind.Completed, done);
    }

    /// <summary>The geocoder stayed busy: the same page is sent again after <see cref="EnrichOptions.BusyDelay"/> (only by the claim's holder, by CAS).</summary>
    private async Task<EnrichOutcome> DeferAsync(EnrichRun claimed, Exception busy, CancellationToken cancellationToken)
    {
        var line = ErrorLines.For(busy, "enrich-page");
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await _runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false) is not { Run: var fresh, ETag: var etag }
                || fresh.RunId != claimed.RunId || fresh.Page != claimed.Page || fresh.Status != EnrichRunStatus.Active || fresh.ClaimUntil != claimed.ClaimUntil)
            {
                return new EnrichOutcome(EnrichOutcomeKind.Ignored, null, Reason: "the run changed while deferring");
            }

            var now = _time.GetUtcNow();
            var deferred = fresh with { UpdatedAt = now, Sent = false, ClaimPage = null, ClaimUntil = null, LastError = line, LastErrorAt = now };
            if (await _runs.TryReplaceCurrentAsync(deferred, etag, cancellationToken).ConfigureAwait(false))
            {
                await _states.UpdateAsync(IngestSources.Enrich, s => s with { LastError = line, LastErrorAt = now }, cancellationToken).ConfigureAwait(false);
                var outcome = await SendCurrentAsync(EnrichOutcomeKind.Deferred, deferred, _options.BusyDelay, cancellationToken).ConfigureAwait(false);
                return outcome with { Reason = busy.Message };
            }
        }

        throw new InvalidOperationException($"The enrichment run row kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>Sends the message for the run's current page, then records that it was sent (best effort: the stall recovery covers a lost mark).</summary>
    private async Task<EnrichOutcome> SendCurrentAsync(EnrichOutcomeKind kind, EnrichRun run, TimeSpan delay, CancellationToken cancellationToken)
    {
        var message = new EnrichPageMessage(run.RunId, run.Page, run.After);
        await _queue.SendAsync(PipelineQueues.EnrichSync, JsonSerializer.Serialize(message, EnrichJsonContext.Default.EnrichPageMessage), delay, cancellationToken).ConfigureAwait(false);
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
        if (!target.Current)
        {
            return RtoOutcome.Skip; // only current RTOs are enriched (a geocode of a cancelled RTO's office is money for nothing)
        }

        var partition = TableKeys.Escape(target.Code);
        var stored = await _enrichment.GetAsync(partition, RowKey, cancellationToken).ConfigureAwait(false);
        if (stored?.Row.RunId == run.RunId)
        {
            return RtoOutcome.Of(stored.Row.Json, reused: false); // written by this run before a crash or by a concurrent delivery
        }

        GeocodeResult? geocode = null;
        var reused = false;
        if (target.Address is { } address)
        {
            if (stored is not null && Reusable(stored.Row.Json, address) is { } previous)
            {
                (geocode, reused) = (previous, true);
            }
            else
            {
                try
                {
                    geocode = (await _geocoder.GeocodeAsync(address, cancellationToken).ConfigureAwait(false)) with { GeocodedAt = _time.GetUtcNow() };
                }
                catch (UpstreamFormatException e)
                {
                    // INVALID_REQUEST or a malformed answer for this address: stored as refused for this RTO, not a reason to stop the run.
                    geocode = GeocodeResult.Refusal(Clip(e.Message), _time.GetUtcNow());
                }
            }
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
                return RtoOutcome.Of(row.Json, reused);
            }

            stored = await _enrichment.GetAsync(partition, RowKey, cancellationToken).ConfigureAwait(false);
            if (stored?.Row.RunId == run.RunId)
            {
                return RtoOutcome.Of(stored.Row.Json, reused: false); // a concurrent delivery wrote the same RTO for this run
            }
        }

        throw new InvalidOperationException($"{IngestTables.RtoEnrichment} {target.Code}: the row kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>
    /// A stored geocode answered for the same query and younger than <see cref="EnrichOptions.GeocodeMaxAge"/> (found or no
    /// result; a refusal is asked again), or null. Rows without <c>geocodedAt</c> (written before it existed) are geocoded again.
    /// </summary>
    private GeocodeResult? Reusable(string json, string address)
    {
        if (_options.GeocodeMaxAge <= TimeSpan.Zero || RtoEnrichmentRecord.ReadGeocode(json) is not { } stored || stored.Query != address || stored.Result.Problem is not null
            || stored.Result.GeocodedAt is not { } at || _time.GetUtcNow() - at >= _options.GeocodeMaxAge)
        {
            return null;
        }

        return stored.Result;
    }

    /// <summary>
    /// A proxy answer that breaks the contract, or a proxy that stayed busy or failing after the pipeline's retries, is recorded
    /// for that site (unavailable, with the reason), not a reason to stop the chain or to throw away the RTO's paid geocode.
    /// </summary>
    private static async Task<T> Refusable<T>(Func<Task<T>> call, Func<string, T> refused)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (UpstreamFormatException e)
        {
            return refused("refused: " + Clip(e.Message));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OutboundRateLimitedException or Polly.ExecutionRejectedException)
        {
            return refused("proxy unavailable: " + Clip(e.Message));
        }
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private async Task<EnrichOutcome> PauseAsync(EnrichRun run, string? etag, string reason, bool error, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (etag is null)
            {
                if (await _runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false) is not { Run: var fresh, ETag: var freshTag } || fresh.RunId != run.RunId || fresh.Status != EnrichRunStatus.Active)
                {
                    return new EnrichOutcome(EnrichOutcomeKind.Ignored, null, Reason: "the run changed while pausing");
                }

                (run, etag) = (fresh, freshTag);
            }

            var now = _time.GetUtcNow();
            var paused = run with { Status = EnrichRunStatus.Paused, PausedReason = reason, UpdatedAt = now, ClaimPage = null, ClaimUntil = null, LastError = error ? reason : run.LastError, LastErrorAt = error ? now : run.LastErrorAt };
            if (await _runs.TryReplaceCurrentAsync(paused, etag, cancellationToken).ConfigureAwait(false))
            {
                await _states.UpdateAsync(IngestSources.Enrich, s => error
                    ? s with { LastRunId = run.RunId, LastStatus = EnrichRunStatus.Paused, LastError = reason, LastErrorAt = now }
                    : s with { LastRunId = run.RunId, LastStatus = EnrichRunStatus.Paused }, cancellationToken).ConfigureAwait(false);
                return new EnrichOutcome(EnrichOutcomeKind.Paused, paused, Reason: reason);
            }

            etag = null;
        }

        throw new InvalidOperationException($"The enrichment run row kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>Notes a failed page on the run (visible in /ops/sync-status) and gives up its claim, so the host's retry may take the page at once; best effort.</summary>
    private async Task RecordErrorAsync(EnrichRun claimed, Exception exception, CancellationToken cancellationToken)
    {
        var line = ErrorLines.For(exception, "enrich-page");
        if (await _runs.GetCurrentAsync(cancellationToken).ConfigureAwait(false) is { Run: var run, ETag: var etag } && run.RunId == claimed.RunId)
        {
            var released = run.ClaimPage == claimed.ClaimPage && run.ClaimUntil == claimed.ClaimUntil ? run with { ClaimPage = null, ClaimUntil = null } : run;
            _ = await _runs.TryReplaceCurrentAsync(released with { LastError = line, LastErrorAt = _time.GetUtcNow() }, etag, cancellationToken).ConfigureAwait(false);
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

        public int Refused { get; private set; }

        public int Reused { get; private set; }

        public int Skipped { get; private set; }

        public void Add(RtoOutcome outcome)
        {
            lock (this)
            {
                if (outcome.Skipped)
                {
                    Skipped++;
                    return;
                }

                Geocoded += outcome.Geocode == "found" ? 1 : 0;
                NoResult += outcome.Geocode == "no-result" ? 1 : 0;
                Refused += outcome.Geocode == "refused" ? 1 : 0;
                NoAddress += outcome.Geocode is null ? 1 : 0;
                Websites += outcome.Website ? 1 : 0;
                Reused += outcome.Reused ? 1 : 0;
            }
        }
    }

    /// <summary>What a stored enrichment row says, for the run's counts (the same whether written now or before a crash).</summary>
    private sealed record RtoOutcome(string? Geocode, bool Website, bool Reused = false, bool Skipped = false)
    {
        public static RtoOutcome Skip { get; } = new(null, false, Skipped: true);

        public static RtoOutcome Of(string json, bool reused)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var geocode = root.GetProperty("geocode") is { ValueKind: JsonValueKind.Object } g ? g.GetProperty("status").GetString() : null;
            return new RtoOutcome(geocode, root.GetProperty("website").ValueKind == JsonValueKind.String, reused);
        }
    }
}
