using System.Security.Cryptography;
using System.Text.Json;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Pipeline.Webhooks;

/// <summary>What the bus answered a verified delivery.</summary>
/// <param name="Record">The record as this delivery left it.</param>
/// <param name="Duplicate">The (provider, event id) was accepted before.</param>
/// <param name="Enqueued">A queue message was sent by this delivery.</param>
public sealed record WebhookAcceptance(WebhookRecord Record, bool Duplicate, bool Enqueued);

/// <summary>
/// The receiving half of the bus: a verified delivery's body is stored (content-addressed, create-if-absent), its record
/// added once, its message sent, the record marked enqueued. A crash anywhere leaves a record in
/// <see cref="WebhookStates.Received"/>, which a later duplicate or the sweep sends again once it is
/// <see cref="WebhookOptions.StuckAfter"/> old, so every accepted event is dispatched. Operators replay through here too.
/// </summary>
public sealed class WebhookInbox(IWebhookStore store, IWebhookBodyStore bodies, IDelayedQueueSender queue, WebhookOptions options, TimeProvider time)
{
    public async Task<WebhookAcceptance> AcceptAsync(string provider, WebhookVerification verified, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verified);
        if (!verified.Verified)
        {
            throw new ArgumentException("Only a verified webhook is accepted.", nameof(verified));
        }

        var digest = Digest(body.Span);
        await bodies.PutAsync(digest, body, cancellationToken).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var record = new WebhookRecord(provider, verified.EventId!, verified.EventType!, now, digest, body.Length, WebhookStates.Received, 0, null, now, null, 0, null, verified.Note);
        if (await store.TryAddAsync(record, cancellationToken).ConfigureAwait(false) is { } etag)
        {
            await SendAsync(provider, record.EventId, record.Replays, cancellationToken).ConfigureAwait(false);

            // Usually nothing changed the record since the insert: swap on the insert's ETag (one round trip fewer), else read and retry.
            var enqueued = record with { State = WebhookStates.Enqueued, UpdatedAt = time.GetUtcNow() };
            return await store.TryReplaceAsync(enqueued, etag, cancellationToken).ConfigureAwait(false)
                ? new WebhookAcceptance(enqueued, false, true)
                : new WebhookAcceptance(await MarkEnqueuedAsync(provider, record.EventId, cancellationToken).ConfigureAwait(false) ?? record, false, true);
        }

        var existing = await store.GetAsync(provider, record.EventId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The webhook {provider}/{record.EventId} exists but cannot be read.");
        var resent = await ResendIfStuckAsync(existing, cancellationToken).ConfigureAwait(false);
        return new WebhookAcceptance(resent ?? existing.Record, true, resent is not null);
    }

    /// <summary>Sends the message of every record stuck in <see cref="WebhookStates.Received"/> (the <c>webhooks-sweep</c> timer); how many were sent.</summary>
    public async Task<int> SweepAsync(int max, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.StuckAfter;
        var sent = 0;
        foreach (var record in await store.ListStuckAsync(WebhookStates.Received, before, max, cancellationToken).ConfigureAwait(false))
        {
            if (await store.GetAsync(record.Provider, record.EventId, cancellationToken).ConfigureAwait(false) is { } stored
                && await ResendIfStuckAsync(stored, cancellationToken).ConfigureAwait(false) is not null)
            {
                sent++;
            }
        }

        return sent;
    }

    /// <summary>
    /// An operator's replay: the record goes back to <see cref="WebhookStates.Received"/> with the actor, its message is sent,
    /// it is marked enqueued. The handler runs again; handlers are idempotent, so nothing is applied twice.
    /// </summary>
    public async Task<WebhookReplay?> ReplayAsync(string provider, string eventId, string actor, CancellationToken cancellationToken)
    {
        var replayed = await WebhookRecords.UpdateAsync(store, provider, eventId, r => r with
        {
            State = WebhookStates.Received,
            Tries = 0,
            Replays = r.Replays + 1,
            LastReplayBy = actor,
            UpdatedAt = time.GetUtcNow(),
        }, cancellationToken).ConfigureAwait(false);
        if (replayed is null)
        {
            return null;
        }

        await SendAsync(provider, eventId, replayed.Replays, cancellationToken).ConfigureAwait(false);

        // The replay's number is this update's: by the time it is marked enqueued another replay may have counted too.
        return new WebhookReplay(await MarkEnqueuedAsync(provider, eventId, cancellationToken).ConfigureAwait(false) ?? replayed, replayed.Replays);
    }

    /// <summary>SHA-256 of the body, lowercase hex.</summary>
    public static string Digest(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>
    /// Sends a stuck record's message: the record is claimed first (a conditional touch of <c>UpdatedAt</c>), so of concurrent
    /// duplicates and sweeps one sends; a claimant that dies leaves it stuck again for the next one.
    /// </summary>
    private async Task<WebhookRecord?> ResendIfStuckAsync(StoredWebhook stored, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (stored.Record.State != WebhookStates.Received || now - stored.Record.UpdatedAt < options.StuckAfter)
        {
            return null;
        }

        if (!await store.TryReplaceAsync(stored.Record with { UpdatedAt = now }, stored.ETag, cancellationToken).ConfigureAwait(false))
        {
            return null; // another delivery or the sweep claimed it
        }

        await SendAsync(stored.Record.Provider, stored.Record.EventId, stored.Record.Replays, cancellationToken).ConfigureAwait(false);
        return await MarkEnqueuedAsync(stored.Record.Provider, stored.Record.EventId, cancellationToken).ConfigureAwait(false);
    }

    private Task SendAsync(string provider, string eventId, int replays, CancellationToken cancellationToken) =>
        queue.SendAsync(WebhookOptions.Queue, JsonSerializer.Serialize(new WebhookMessage(provider, eventId, replays), WebhookJson.Default.WebhookMessage), TimeSpan.Zero, cancellationToken);

    /// <summary>Received → enqueued (a record the dispatcher already moved on stays as it is).</summary>
    private Task<WebhookRecord?> MarkEnqueuedAsync(string provider, string eventId, CancellationToken cancellationToken) =>
        WebhookRecords.UpdateAsync(store, provider, eventId, r => r.State == WebhookStates.Received
            ? r with { State = WebhookStates.Enqueued, UpdatedAt = time.GetUtcNow() }
            : r, cancellationToken);
}

/// <summary>Compare-and-swap changes of one record.</summary>
internal static class WebhookRecords
{
    private const int MaxAttempts = 16;

    /// <summary>Applies <paramref name="change"/> to the current record until the swap holds; null when there is no record.</summary>
    public static async Task<WebhookRecord?> UpdateAsync(IWebhookStore store, string provider, string eventId, Func<WebhookRecord, WebhookRecord> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await store.GetAsync(provider, eventId, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                return null;
            }

            var changed = change(stored.Record);
            if (changed == stored.Record || await store.TryReplaceAsync(changed, stored.ETag, cancellationToken).ConfigureAwait(false))
            {
                return changed;
            }
        }

        throw new InvalidOperationException($"The webhook {provider}/{eventId} kept changing; gave up after {MaxAttempts} attempts.");
    }
}
