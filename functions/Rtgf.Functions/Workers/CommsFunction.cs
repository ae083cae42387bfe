using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Comms;
using Rtgf.Functions.Comms;
using Rtgf.Pipeline.Comms;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>comms</c>: sends each email or SMS the app enqueued on <c>rtgf-comms</c> (<see cref="CommsSender"/>). A
/// <see cref="CommsFailure.Retry"/> (the provider down or rate-limiting, the circuit open, a setting missing) is re-enqueued
/// with a growing delay (<see cref="CommsEnvelope"/>) and, once its retries run out, poisoned with its request kept; any
/// other failure is retried by the host and poisoned after <c>maxDequeueCount</c> deliveries. <c>comms-poison</c>: records
/// that the host gave up on a message (<see cref="CommsDeadLetters"/>), replayable through <c>/ops/comms</c>. Logs name a
/// message by its ledger key (the digest of its idempotency key), never the key itself (docs/spec/comms.md).
/// </summary>
public sealed class CommsFunction(CommsSender sender, CommsDeadLetters deadLetters, ILogger<CommsFunction> logger)
{
    public const string PoisonQueue = CommsOutbox.Queue + "-poison";

    [Function("comms")]
    public async Task Send([QueueTrigger(CommsOutbox.Queue, Connection = QueueMessages.Connection)] string message, CancellationToken cancellationToken)
    {
        var envelope = CommsEnvelope.Read(message);
        var request = envelope.Request;
        string outcome;
        try
        {
            outcome = await sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (CommsSendException e) when (e.Failure == CommsFailure.Retry && !string.IsNullOrWhiteSpace(request.IdempotencyKey))
        {
            // Not the host's quick retries (5 in 25 s would poison an outage of a minute): later, and later again.
            var ledgerKey = TableCommsStore.LedgerKey(request.IdempotencyKey);
            if (envelope.Attempt >= CommsEnvelope.MaxRetries)
            {
                var poisoned = await deadLetters.PoisonAsync(request, $"Gave up after {CommsEnvelope.MaxRetries} retries: {e.Message}", CancellationToken.None).ConfigureAwait(false);
                logger.Outcome(() => $"comms: {request.Channel} {request.Template} ({ledgerKey}): {poisoned}.");
                return;
            }

            var delay = CommsEnvelope.DelayBefore(envelope.Attempt + 1);
            await deadLetters.RetryLaterAsync(envelope with { Attempt = envelope.Attempt + 1 }, delay, CancellationToken.None).ConfigureAwait(false);
            logger.Outcome(() => $"comms: {request.Channel} {request.Template} ({ledgerKey}): not sent ({CommsRedaction.MaskDigits(e.Message)}); retry {envelope.Attempt + 1} of {CommsEnvelope.MaxRetries} in {delay}.");
            return;
        }

        logger.Outcome(() => $"comms: {request.Channel} {request.Template} ({TableCommsStore.LedgerKey(request.IdempotencyKey)}): {outcome}.");
    }

    [Function("comms-poison")]
    public async Task Poisoned([QueueTrigger(PoisonQueue, Connection = QueueMessages.Connection)] string message, CancellationToken cancellationToken)
    {
        CommsRequest request;
        try
        {
            request = CommsEnvelope.Read(message).Request;
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

        var outcome = await deadLetters.PoisonAsync(request, null, cancellationToken).ConfigureAwait(false);
        logger.Outcome(() => $"comms-poison: {request.Template} ({TableCommsStore.LedgerKey(request.IdempotencyKey)}): {outcome}.");
    }
}
