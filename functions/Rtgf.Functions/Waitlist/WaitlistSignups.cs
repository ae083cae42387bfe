using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Rtgf.Azure.Waitlist;
using Rtgf.Pipeline.Comms;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Waitlist;

namespace Rtgf.Functions.Waitlist;

/// <summary>What a sign-up request came to. Accepted covers every address alike: the lead is decided later, by the queue function.</summary>
public enum SignUpOutcome
{
    Accepted,
    RateLimited,
    NotConfigured,

    /// <summary>The sign-up could not be queued (a storage outage): nothing was accepted; try again.</summary>
    Unavailable,
}

/// <summary>What applying one sign-up message came to (for the log; the caller never sees it).</summary>
public enum SignUpApplied
{
    /// <summary>A new lead, and its first link's email enqueued.</summary>
    Created,

    /// <summary>A pending lead's new link (the old one stops working), and its email enqueued.</summary>
    Resent,

    /// <summary>A redelivery of the message that made the lead's current link: its email enqueued again (same idempotency key).</summary>
    Redelivered,

    /// <summary>Nothing written or sent: the lead is confirmed or unsubscribed, or the message was applied and a later one since.</summary>
    Nothing,
}

/// <summary>The <c>rtgf-waitlist-signups</c> message: one well-formed, within-limits sign-up (the address normalised).</summary>
public sealed record WaitlistSignup(string Email, string? Organisation, string? RtoCode);

/// <summary>The sign-up queue's message as JSON (camelCase, like the pipeline's messages).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WaitlistSignup))]
public sealed partial class WaitlistJson : JsonSerializerContext;

/// <summary>What a confirm or unsubscribe link came to.</summary>
public enum LinkOutcome
{
    /// <summary>The link would work (checked without using it: the page behind a GET).</summary>
    Valid,

    /// <summary>The link was used now: the lead is confirmed, or unsubscribed.</summary>
    Done,

    /// <summary>Not a link we signed for this lead and address (malformed, tampered, another address's, an unknown lead).</summary>
    Invalid,

    /// <summary>A confirm link past its 15 minutes.</summary>
    Expired,

    /// <summary>A confirm link used already (the lead is confirmed).</summary>
    Used,

    /// <summary>A confirm link replaced by a newer one, or of a lead that unsubscribed.</summary>
    Superseded,

    NotConfigured,
}

/// <summary>
/// The waitlist (docs/spec/waitlist.md). A sign-up request checks the limits and enqueues one <see cref="WaitlistSignup"/>
/// message, the same work for every address (so neither the answer nor its timing tells a known address from a new one);
/// the <c>waitlist-signups</c> queue function applies it: stores a lead once per address and emails it a magic link.
/// Links confirm (single use, by compare-and-swap on the lead's current link id) or unsubscribe. Knows nothing of HTTP or
/// of the host: the endpoints and the queue function parse and answer, this decides and writes.
/// </summary>
public sealed partial class WaitlistSignups(TableLeadStore leads, WaitlistLimits limits, WaitlistSettings settings, CommsOutbox outbox, IDelayedQueueSender queues, TimeProvider time, ILogger<WaitlistSignups> logger)
{
    public const string Template = "waitlist-confirm";
    public const string ConfirmPath = "v1/waitlist/confirm";
    public const string UnsubscribePath = "v1/waitlist/unsubscribe";

    /// <summary>The queue of accepted sign-ups (the host's poison queue is <c>rtgf-waitlist-signups-poison</c>).</summary>
    public const string Queue = "rtgf-waitlist-signups";

    /// <summary>What a 503 after a queue outage asks the caller to wait, in seconds.</summary>
    public const int UnavailableRetryAfterSeconds = 5;

    private const int MaxAttempts = 16;

    public WaitlistSettings Settings => settings;

    /// <summary>
    /// A sign-up request for a normalised <paramref name="address"/> from <paramref name="clientAddress"/>: the limits (when
    /// over, the wait is until the limits' hour ends), then one message on the sign-up queue. Reads no lead.
    /// </summary>
    public async Task<(SignUpOutcome Outcome, TimeSpan RetryAfter)> RequestAsync(
        string address, string? organisation, string? rtoCode, string clientAddress, CancellationToken cancellationToken)
    {
        if (settings.Problem.Length > 0)
        {
            return (SignUpOutcome.NotConfigured, TimeSpan.Zero);
        }

        try
        {
            if (await limits.TryTakeAsync(clientAddress, address, cancellationToken).ConfigureAwait(false) is { } wait)
            {
                return (SignUpOutcome.RateLimited, wait);
            }

            await queues.SendAsync(Queue, JsonSerializer.Serialize(new WaitlistSignup(address, organisation, rtoCode), WaitlistJson.Default.WaitlistSignup), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // Storage is not answering: nothing was queued, so the caller is told to try again (never a 500).
            LogUnavailable(logger, e.GetType().Name);
            return (SignUpOutcome.Unavailable, TimeSpan.FromSeconds(UnavailableRetryAfterSeconds));
        }

        return (SignUpOutcome.Accepted, TimeSpan.Zero);
    }

    /// <summary>
    /// Applies one sign-up message (<paramref name="messageId"/>: the broker's id, the same on every delivery of it): a new
    /// lead, or a new link for a pending one (the old link stops working); nothing for a confirmed or unsubscribed lead.
    /// The row remembers the message ids it applied, so a redelivery (a duplicate, or a retry after a crash between the row
    /// write and the email enqueue) finds its own write and enqueues that link's email again with the same idempotency
    /// key, which the comms ledger sends once. Throws when it cannot finish (the host retries, then poisons).
    /// </summary>
    public async Task<SignUpApplied> ApplyAsync(WaitlistSignup signup, string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signup);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        if (settings.Problem.Length > 0 || settings.Ids is not { } ids)
        {
            throw new InvalidOperationException("The waitlist is not configured: " + settings.Problem);
        }

        var address = WaitlistAddress.Normalise(signup.Email, out var problem) ?? throw new InvalidOperationException("A sign-up message with a bad address: " + problem);
        var id = ids.LeadId(address);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var expires = now + MagicLinks.ConfirmFor;
            if (await leads.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } read)
            {
                var firstLink = ids.LinkId(id, now, 1);
                var lead = new Lead(id, address, signup.Organisation, signup.RtoCode, now, now, firstLink, expires, 1, null, null, [messageId]);
                if (await leads.TryAddAsync(lead, cancellationToken).ConfigureAwait(false))
                {
                    await SendAsync(lead, firstLink, expires, cancellationToken).ConfigureAwait(false);
                    return SignUpApplied.Created;
                }

                continue; // a concurrent sign-up (or a concurrent delivery of this one) added it: read it
            }

            var stored = read.Lead;
            if (stored.Signups is { } applied && applied.Contains(messageId, StringComparer.Ordinal))
            {
                // Applied before: only the newest message's link is live, so only it has an email worth enqueueing again.
                if (string.Equals(applied[^1], messageId, StringComparison.Ordinal) && stored is { Status: LeadStatus.Pending, LinkId: { } live, LinkExpiresAt: { } liveExpires })
                {
                    await SendAsync(stored, live, liveExpires, cancellationToken).ConfigureAwait(false);
                    return SignUpApplied.Redelivered;
                }

                return SignUpApplied.Nothing;
            }

            if (stored.Status != LeadStatus.Pending)
            {
                return SignUpApplied.Nothing; // confirmed, or unsubscribed: no more waitlist email
            }

            // A resend: the new link replaces the old (the row holds one link id), and what the first sign-up said stays.
            var number = stored.LinksSent + 1;
            var linkId = ids.LinkId(id, stored.CreatedAt, number);
            var resent = stored with
            {
                Organisation = stored.Organisation ?? signup.Organisation,
                RtoCode = stored.RtoCode ?? signup.RtoCode,
                UpdatedAt = now,
                LinkId = linkId,
                LinkExpiresAt = expires,
                LinksSent = number,
                Signups = [.. (stored.Signups ?? []).TakeLast(Lead.MaxSignups - 1), messageId],
            };
            if (await leads.TryReplaceAsync(resent, read.ETag, cancellationToken).ConfigureAwait(false))
            {
                await SendAsync(resent, linkId, expires, cancellationToken).ConfigureAwait(false);
                return SignUpApplied.Resent;
            }
        }

        throw new InvalidOperationException($"The lead {id} kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>Checks a confirm token (<paramref name="use"/> false: no write) or uses it (the lead is confirmed, the link spent).</summary>
    public async Task<LinkOutcome> ConfirmAsync(string? token, bool use, CancellationToken cancellationToken)
    {
        if (settings.Links is not { } links)
        {
            return LinkOutcome.NotConfigured; // the problem is settings.LinkProblem
        }

        if (MagicLinks.Parse(token, LinkPurpose.Confirm) is not { } parsed)
        {
            return LinkOutcome.Invalid;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await leads.GetAsync(parsed.LeadId, cancellationToken).ConfigureAwait(false) is not { } read || !links.Verify(parsed, read.Lead))
            {
                return LinkOutcome.Invalid;
            }

            var lead = read.Lead;
            if (!string.Equals(lead.LinkId, parsed.LinkId, StringComparison.Ordinal))
            {
                return lead.Status == LeadStatus.Confirmed ? LinkOutcome.Used : LinkOutcome.Superseded;
            }

            var now = time.GetUtcNow();
            if (now >= parsed.ExpiresAt)
            {
                return LinkOutcome.Expired;
            }

            if (!use)
            {
                return LinkOutcome.Valid;
            }

            var confirmed = lead with { LinkId = null, LinkExpiresAt = null, ConfirmedAt = now, UpdatedAt = now };
            if (await leads.TryReplaceAsync(confirmed, read.ETag, cancellationToken).ConfigureAwait(false))
            {
                return LinkOutcome.Done;
            }

            // Lost a race (another use of this link, a resend, an unsubscribe): read again and decide again.
        }

        throw new InvalidOperationException($"The lead {parsed.LeadId} kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>Checks an unsubscribe token (<paramref name="use"/> false: no write) or uses it (again is fine: still unsubscribed).</summary>
    public async Task<LinkOutcome> UnsubscribeAsync(string? token, bool use, CancellationToken cancellationToken)
    {
        if (settings.Links is not { } links)
        {
            return LinkOutcome.NotConfigured; // the problem is settings.LinkProblem
        }

        if (MagicLinks.Parse(token, LinkPurpose.Unsubscribe) is not { } parsed)
        {
            return LinkOutcome.Invalid;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await leads.GetAsync(parsed.LeadId, cancellationToken).ConfigureAwait(false) is not { } read || !links.Verify(parsed, read.Lead))
            {
                return LinkOutcome.Invalid;
            }

            if (!use || read.Lead.UnsubscribedAt is not null)
            {
                return use ? LinkOutcome.Done : LinkOutcome.Valid;
            }

            var now = time.GetUtcNow();
            var unsubscribed = read.Lead with { UnsubscribedAt = now, LinkId = null, LinkExpiresAt = null, UpdatedAt = now };
            if (await leads.TryReplaceAsync(unsubscribed, read.ETag, cancellationToken).ConfigureAwait(false))
            {
                return LinkOutcome.Done;
            }
        }

        throw new InvalidOperationException($"The lead {parsed.LeadId} kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>The confirm email, once per link (the idempotency key names the link): the values are exactly the template's placeholders.</summary>
    private Task SendAsync(Lead lead, string linkId, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var links = settings.Links!;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["confirm-url"] = Url(ConfirmPath, links.ConfirmToken(lead, linkId, expires)),
            ["expires-minutes"] = ((int)MagicLinks.ConfirmFor.TotalMinutes).ToString(CultureInfo.InvariantCulture),
            ["unsubscribe-url"] = Url(UnsubscribePath, links.UnsubscribeToken(lead)),
        };
        return outbox.EnqueueAsync(new CommsRequest(CommsChannel.Email, Template, lead.Email, values, $"{Template}:{lead.Id}:{linkId}"), cancellationToken);
    }

    private string Url(string path, string token) => new Uri(settings.LinkBase!, path + "?token=" + Uri.EscapeDataString(token)).AbsoluteUri;

    [LoggerMessage(EventId = 160, Level = LogLevel.Warning, Message = "waitlist: a sign-up could not be queued ({Error}); answered 503.")]
    private static partial void LogUnavailable(ILogger logger, string error);
}
