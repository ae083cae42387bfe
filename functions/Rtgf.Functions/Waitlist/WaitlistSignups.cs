using System.Globalization;
using Rtgf.Azure.Waitlist;
using Rtgf.Pipeline.Comms;
using Rtgf.Pipeline.Waitlist;

namespace Rtgf.Functions.Waitlist;

/// <summary>What a sign-up came to. Accepted covers new, pending, confirmed and unsubscribed addresses alike: the caller's answer never tells them apart.</summary>
public enum SignUpOutcome
{
    Accepted,
    RateLimited,
    NotConfigured,
}

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
/// The waitlist (docs/spec/waitlist.md): sign-ups store a lead once per address and email it a magic link; links confirm
/// (single use, by compare-and-swap on the lead's current link id) or unsubscribe. Knows nothing of HTTP: the endpoints
/// parse and answer, this decides and writes.
/// </summary>
public sealed class WaitlistSignups(TableLeadStore leads, WaitlistLimits limits, WaitlistSettings settings, CommsOutbox outbox, TimeProvider time)
{
    public const string Template = "waitlist-confirm";
    public const string ConfirmPath = "v1/waitlist/confirm";
    public const string UnsubscribePath = "v1/waitlist/unsubscribe";
    private const int MaxAttempts = 16;

    public WaitlistSettings Settings => settings;

    /// <summary>
    /// Signs up a normalised <paramref name="address"/> from <paramref name="clientAddress"/>: a new lead, or a new link for a
    /// pending one (the old link stops working); nothing for a confirmed or unsubscribed lead. When rate
    /// limited, the wait is until the limits' hour ends.
    /// </summary>
    public async Task<(SignUpOutcome Outcome, TimeSpan RetryAfter)> SignUpAsync(
        string address, string? organisation, string? rtoCode, string clientAddress, CancellationToken cancellationToken)
    {
        if (settings.Links is null || settings.LinkBase is null)
        {
            return (SignUpOutcome.NotConfigured, TimeSpan.Zero);
        }

        var id = WaitlistAddress.LeadId(address);
        if (await limits.TryTakeAsync(clientAddress, id, cancellationToken).ConfigureAwait(false) is { } wait)
        {
            return (SignUpOutcome.RateLimited, wait);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var expires = now + MagicLinks.ConfirmFor;
            if (await leads.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } read)
            {
                var firstLink = settings.Links.LinkId(id, 1);
                var lead = new Lead(id, address, organisation, rtoCode, now, now, firstLink, expires, 1, null, null);
                if (await leads.TryAddAsync(lead, cancellationToken).ConfigureAwait(false))
                {
                    await SendAsync(lead, firstLink, expires, cancellationToken).ConfigureAwait(false);
                    return (SignUpOutcome.Accepted, TimeSpan.Zero);
                }

                continue; // a concurrent sign-up added it: read it
            }

            if (read.Lead.Status != LeadStatus.Pending)
            {
                return (SignUpOutcome.Accepted, TimeSpan.Zero); // confirmed, or unsubscribed: no more waitlist email
            }

            // A resend: the new link replaces the old (the row holds one link id), and what the first sign-up said stays.
            var number = read.Lead.LinksSent + 1;
            var linkId = settings.Links.LinkId(id, number);
            var resent = read.Lead with
            {
                Organisation = read.Lead.Organisation ?? organisation,
                RtoCode = read.Lead.RtoCode ?? rtoCode,
                UpdatedAt = now,
                LinkId = linkId,
                LinkExpiresAt = expires,
                LinksSent = number,
            };
            if (await leads.TryReplaceAsync(resent, read.ETag, cancellationToken).ConfigureAwait(false))
            {
                await SendAsync(resent, linkId, expires, cancellationToken).ConfigureAwait(false);
                return (SignUpOutcome.Accepted, TimeSpan.Zero);
            }
        }

        throw new InvalidOperationException($"The lead {id} kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>Checks a confirm token (<paramref name="use"/> false: no write) or uses it (the lead is confirmed, the link spent).</summary>
    public async Task<LinkOutcome> ConfirmAsync(string? token, bool use, CancellationToken cancellationToken)
    {
        if (settings.Links is not { } links)
        {
            return LinkOutcome.NotConfigured;
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
            return LinkOutcome.NotConfigured;
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
}
