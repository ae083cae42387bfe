using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Comms;
using Rtgf.Functions.Comms;
using Rtgf.Pipeline.Comms;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>comms</c>: sends each email or SMS the app enqueued on <c>rtgf-comms</c> (<see cref="CommsSender"/>; a failed try is
/// retried by the host and poisoned after <c>maxDequeueCount</c> deliveries). <c>comms-poison</c>: records that the host gave
/// up on a message, keeping the last failure as the reason; an SMS still claimed then (it may have been sent) is marked
/// <c>failed</c>, never claimable again (docs/spec/comms.md).
/// </summary>
public sealed class CommsFunction(CommsSender sender, TableCommsStore store, TimeProvider time, ILogger<CommsFunction> logger)
{
    public const string PoisonQueue = CommsOutbox.Queue + "-poison";

    [Function("comms")]
    public async Task Send([QueueTrigger(CommsOutbox.Queue, Connection = QueueMessages.Connection)] string message, CancellationToken cancellationToken)
    {
        var request = QueueMessages.Read(message, CommsJson.Default.CommsRequest);
        var outcome = await sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        logger.Outcome(() => $"comms: {request.Channel} {request.Template} ({request.IdempotencyKey}): {outcome}.");
    }

    [Function("comms-poison")]
    public async Task Poisoned([QueueTrigger(PoisonQueue, Connection = QueueMessages.Connection)] string message, CancellationToken cancellationToken)
    {
        CommsRequest request;
        try
        {
            request = QueueMessages.Read(message, CommsJson.Default.CommsRequest);
        }
        catch (JsonException e)
        {
            logger.Outcome(() => $"comms-poison: an unreadable message reached the poison queue ({e.Message}); nothing to record.");
            return;
        }

        if (string.IsNullOrWhiteSpace(request.IdempotencyKey))
        {
            logger.Outcome(() => $"comms-poison: {request.Channel} {request.Template} without an idempotency key reached the poison queue; nothing to record.");
            return;
        }

        for (var attempt = 0; attempt < 8; attempt++)
        {
            var now = time.GetUtcNow();
            var read = await store.GetSendAsync(request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            if (read is { Record.State: CommsSendStates.Sent or CommsSendStates.Suppressed or CommsSendStates.Failed or CommsSendStates.Poisoned } settled)
            {
                logger.Outcome(() => $"comms-poison: {request.Template} ({request.IdempotencyKey}) is {settled.Record.State}; left as it is.");
                return;
            }

            var poisoned = (read?.Record ?? new CommsSendRecord(request.IdempotencyKey, request.Channel.ToString().ToLowerInvariant(), request.Template ?? string.Empty, CommsRedaction.Mask(request.To ?? string.Empty), CommsSendStates.Poisoned, now))
                with { State = CommsSendStates.Poisoned, UpdatedAt = now };
            poisoned = poisoned with { LastError = poisoned.LastError ?? "The message reached the poison queue without a recorded failure." };
            if (read is { Record.State: CommsSendStates.Sending } && request.Channel == CommsChannel.Sms)
            {
                // An SMS whose claim was never resolved may have gone out: failed for good, so a new request with the key never texts again.
                poisoned = poisoned with { State = CommsSendStates.Failed, LastError = "Poisoned while claimed: the text may have been sent, so it is not sent again. " + poisoned.LastError };
            }
            var written = read is { } r ? await store.TryReplaceSendAsync(poisoned, r.ETag, cancellationToken).ConfigureAwait(false) : await store.TryAddSendAsync(poisoned, cancellationToken).ConfigureAwait(false);
            if (written is not null)
            {
                logger.Outcome(() => $"comms-poison: {request.Template} ({request.IdempotencyKey}) poisoned: {poisoned.LastError}");
                return;
            }
        }

        throw new InvalidOperationException($"comms-poison: the record of {request.IdempotencyKey} kept changing.");
    }
}
