using Rtgf.Azure.Comms;
using Rtgf.Pipeline.Comms;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Functions.Comms;

/// <summary>What <see cref="CommsDeadLetters.ReplayAsync"/> found.</summary>
public enum CommsReplayOutcome
{
    Replayed,
    NotFound,

    /// <summary>The message is not given up on (sent, suppressed, failed for good, or in flight): nothing to replay.</summary>
    NotReplayable,

    /// <summary>Poisoned before its request was kept (or the row was written by hand): nothing to send again.</summary>
    NoRequest,
}

/// <summary>
/// The comms messages given up on (docs/spec/comms.md): a Retry failure is re-enqueued later on <c>rtgf-comms</c> (growing
/// delays, <see cref="CommsEnvelope.MaxRetries"/> times); a message poisoned (by the host, or when its retries run out) has
/// its whole request kept in the comms table and its row marked <c>poisoned</c>, unless it is settled or still claimed by a
/// live delivery; an operator replays it, which enqueues the kept request anew.
/// </summary>
public sealed class CommsDeadLetters(TableCommsStore store, IDelayedQueueSender queues, CommsSenderOptions options, TimeProvider time)
{
    private const int MaxAttempts = 8;

    /// <summary>Puts the message back on the queue, visible after <paramref name="delay"/>.</summary>
    public Task RetryLaterAsync(CommsEnvelope envelope, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return queues.SendAsync(CommsOutbox.Queue, envelope.Write(), delay, cancellationToken);
    }

    /// <summary>Records that the message was given up on; what happened, for the log.</summary>
    public async Task<string> PoisonAsync(CommsRequest request, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ledgerKey = TableCommsStore.LedgerKey(request.IdempotencyKey);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var read = await store.GetSendAsync(request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            if (read is { Record.State: CommsSendStates.Sent or CommsSendStates.Suppressed or CommsSendStates.Failed or CommsSendStates.Poisoned } settled)
            {
                return $"{settled.Record.State}; left as it is";
            }

            if (read is { Record.State: CommsSendStates.Sending } live && now - (live.Record.ClaimedAt ?? live.Record.UpdatedAt) < options.ClaimTimeout)
            {
                // A live claim belongs to a delivery still at work: it records its own outcome (and re-enqueues a Retry).
                return "claimed by a delivery still at work; left to it";
            }

            var poisoned = (read?.Record ?? new CommsSendRecord(request.IdempotencyKey, request.Channel.ToString().ToLowerInvariant(), request.Template ?? string.Empty, CommsRedaction.Mask(request.To ?? string.Empty), CommsSendStates.Poisoned, now))
                with { State = CommsSendStates.Poisoned, UpdatedAt = now, ClaimedAt = null };
            poisoned = poisoned with { LastError = reason ?? poisoned.LastError ?? "The message reached the poison queue without a recorded failure." };
            if (read is { Record.State: CommsSendStates.Sending } && request.Channel == CommsChannel.Sms)
            {
                // An SMS whose stale claim was never resolved may have gone out: failed for good, so a new request with the key never texts again.
                poisoned = poisoned with { State = CommsSendStates.Failed, LastError = "Poisoned while claimed: the text may have been sent, so it is not sent again. " + poisoned.LastError };
            }
            else
            {
                // Kept before the row says poisoned, so every poisoned row can be replayed.
                await store.StoreRequestAsync(ledgerKey, System.Text.Json.JsonSerializer.Serialize(request, CommsJson.Default.CommsRequest), cancellationToken).ConfigureAwait(false);
            }

            var written = read is { } r ? await store.TryReplaceSendAsync(poisoned, r.ETag, cancellationToken).ConfigureAwait(false) : await store.TryAddSendAsync(poisoned, cancellationToken).ConfigureAwait(false);
            if (written is not null)
            {
                return $"{poisoned.State}: {CommsRedaction.MaskDigits(poisoned.LastError!)}";
            }
        }

        throw new InvalidOperationException($"comms: the row {ledgerKey} kept changing while it was being poisoned.");
    }

    /// <summary>
    /// Sends a poisoned message again: its row becomes <c>retry</c> (claimable, noting the operator), then its kept request
    /// is enqueued anew (a <c>retry</c> row may be replayed again, should the enqueue fail). The ledger still sends it once.
    /// </summary>
    public async Task<(CommsReplayOutcome Outcome, CommsSendRecord? Record)> ReplayAsync(string ledgerKey, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await store.GetSendByLedgerKeyAsync(ledgerKey, cancellationToken).ConfigureAwait(false) is not { } read)
            {
                return (CommsReplayOutcome.NotFound, null);
            }

            if (read.Record.State is not (CommsSendStates.Poisoned or CommsSendStates.Retry))
            {
                return (CommsReplayOutcome.NotReplayable, read.Record);
            }

            if (await store.GetRequestAsync(ledgerKey, cancellationToken).ConfigureAwait(false) is not { } json)
            {
                return (CommsReplayOutcome.NoRequest, read.Record);
            }

            var replayed = read.Record with { State = CommsSendStates.Retry, ClaimedAt = null, UpdatedAt = time.GetUtcNow(), LastError = $"Replayed by {actor} after: {read.Record.LastError}" };
            if (await store.TryReplaceSendAsync(replayed, read.ETag, cancellationToken).ConfigureAwait(false) is null)
            {
                continue;
            }

            var request = System.Text.Json.JsonSerializer.Deserialize(json, CommsJson.Default.CommsRequest)!;
            await RetryLaterAsync(new CommsEnvelope(request, 0), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return (CommsReplayOutcome.Replayed, replayed);
        }

        throw new InvalidOperationException($"comms: the row {ledgerKey} kept changing while it was being replayed.");
    }
}
