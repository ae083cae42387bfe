using System.Globalization;
using Rtgf.Azure.Comms;
using Rtgf.Pipeline.Comms;

namespace Rtgf.Functions.Comms;

/// <summary>
/// Sends one <see cref="CommsRequest"/> (docs/spec/comms.md), knowing nothing of the host: renders its template, skips a
/// suppressed address, and sends through the channel's client at most once per idempotency key. The ledger row (table
/// <c>comms</c>) is claimed by a conditional insert or compare-and-swap before the send and marked <c>sent</c> after it, so a
/// duplicate or concurrent delivery sends nothing. A crash between the send and the mark leaves a <c>sending</c> claim:
/// once it is older than <c>Comms:ClaimTimeoutSeconds</c>, an email is sent again with the same Resend idempotency key
/// (Resend sends it once), while an SMS (Cellcast has no such key) is marked <c>failed</c> rather than risk a second text.
/// A delivery that finds a live claim completes (the claimant sends). A failed try always releases its claim (email: claimable
/// again; SMS: <c>failed</c> when the text may have left) and throws <see cref="CommsSendException"/> or
/// <see cref="CommsTemplateException"/>: the <c>comms</c> function re-enqueues a <see cref="CommsFailure.Retry"/> later and
/// lets the host poison anything else; a permanent failure is recorded so later tries fail at once without calling the provider.
/// </summary>
public sealed partial class CommsSender(CommsTemplates templates, ResendClient resend, CellcastClient cellcast, TableCommsStore store, CommsSenderOptions options, TimeProvider time, ILogger<CommsSender> logger)
{
    /// <summary>How many times the ledger writes that record a try's outcome are tried (storage may fail once; the outcome must not be lost).</summary>
    private const int RecordAttempts = 4;

    public async Task<string> SendAsync(CommsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.IdempotencyKey))
        {
            throw new CommsSendException("The request has no idempotency key: refused, since a retry could not be told from a new message.", CommsFailure.Permanent);
        }

        var masked = CommsRedaction.Mask(request.To ?? string.Empty);
        var ledgerKey = TableCommsStore.LedgerKey(request.IdempotencyKey);
        var read = await store.GetSendAsync(request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        switch (read?.Record.State)
        {
            case CommsSendStates.Sent:
                return $"already sent ({read.Value.Record.ProviderId})";
            case CommsSendStates.Suppressed:
                return "suppressed before (not sent)";
            case CommsSendStates.Failed:
                throw new CommsSendException($"Failed before, not tried again: {read.Value.Record.LastError}", CommsFailure.Permanent);
        }

        var now = time.GetUtcNow();
        var fresh = new CommsSendRecord(request.IdempotencyKey, request.Channel.ToString().ToLowerInvariant(), request.Template ?? string.Empty, masked, CommsSendStates.Sending, now, now);
        var current = read?.Record ?? fresh;
        var etag = read?.ETag;
        if (current.State == CommsSendStates.Sending && etag is not null)
        {
            if (now - (current.ClaimedAt ?? current.UpdatedAt) < options.ClaimTimeout)
            {
                // Another delivery holds a live claim: it sends, or records why not (and re-enqueues itself). Waiting here could
                // only end in this copy being poisoned while the claimant is still at work.
                return $"in flight elsewhere (claimed at {Format(current.ClaimedAt)}): nothing done";
            }

            if (request.Channel == CommsChannel.Sms)
            {
                // The claimant died after (maybe) texting: Cellcast cannot tell us, and a second text is worse than none.
                var reason = $"An earlier delivery claimed this SMS at {Format(current.ClaimedAt)} and never recorded the outcome (a crash or no answer from Cellcast after sending): it may have been sent, so it is not sent again.";
                await store.TryReplaceSendAsync(current with { State = CommsSendStates.Failed, UpdatedAt = now, LastError = reason }, etag.Value, cancellationToken).ConfigureAwait(false);
                throw new CommsSendException(reason, CommsFailure.Permanent);
            }
        }

        // Everything that can be refused without the provider is refused before the claim.
        RenderedEmail? email = null;
        string? sms = null;
        try
        {
            CheckRecipient(request);
            if (request.Channel == CommsChannel.Email)
            {
                email = templates.RenderEmail(request.Template ?? string.Empty, request.Values ?? new Dictionary<string, string>());
            }
            else
            {
                sms = templates.RenderSms(request.Template ?? string.Empty, request.Values ?? new Dictionary<string, string>());
            }
        }
        catch (Exception e) when (e is CommsTemplateException or CommsSendException)
        {
            await FailAsync(current, etag, e.Message, cancellationToken).ConfigureAwait(false);
            throw;
        }

        if (request.Channel == CommsChannel.Email && await store.IsSuppressedAsync(request.To!, cancellationToken).ConfigureAwait(false))
        {
            var suppressed = current with { State = CommsSendStates.Suppressed, UpdatedAt = now, LastError = SuppressedReason };
            if ((etag is { } e ? await store.TryReplaceSendAsync(suppressed, e, cancellationToken).ConfigureAwait(false) : await store.TryAddSendAsync(suppressed, cancellationToken).ConfigureAwait(false)) is null)
            {
                LogSuppressedRowLost(logger, request.Template ?? string.Empty, ledgerKey);
            }

            LogSuppressed(logger, request.Template ?? string.Empty, masked);
            return "suppressed (not sent)";
        }

        // The claim: one delivery sends, the others see it and complete (it is in flight), or find the message sent.
        var claim = current with { State = CommsSendStates.Sending, UpdatedAt = now, ClaimedAt = now };
        var claimed = etag is { } held ? await store.TryReplaceSendAsync(claim, held, cancellationToken).ConfigureAwait(false) : await store.TryAddSendAsync(claim, cancellationToken).ConfigureAwait(false);
        if (claimed is not { } claimEtag)
        {
            return "in flight elsewhere (another delivery claimed it first): nothing done";
        }

        string providerId;
        try
        {
            // A bounce or complaint recorded between the first check and the claim still stops the email (one point read).
            if (request.Channel == CommsChannel.Email && await store.IsSuppressedAsync(request.To!, cancellationToken).ConfigureAwait(false))
            {
                var suppressed = claim with { State = CommsSendStates.Suppressed, UpdatedAt = time.GetUtcNow(), ClaimedAt = null, LastError = SuppressedReason };
                if (await RecordAsync(suppressed, claimEtag).ConfigureAwait(false) is null)
                {
                    LogSuppressedRowLost(logger, request.Template ?? string.Empty, ledgerKey);
                }

                LogSuppressed(logger, request.Template ?? string.Empty, masked);
                return "suppressed (not sent)";
            }

            providerId = email is not null
                ? await resend.SendAsync(request.To!, email, request.IdempotencyKey, cancellationToken).ConfigureAwait(false)
                : await cellcast.SendAsync(request.To!, sms!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever ended the try (the provider, a cancellation, storage), the claim is released, never left to block the retries.
            var failure = e switch
            {
                CommsSendException s => s.Failure,
                _ when request.Channel == CommsChannel.Email => CommsFailure.Retry, // resending with the same key is safe
                _ => CommsFailure.Ambiguous, // the clients classify what they know; anything else may have texted
            };
            var failed = claim with { UpdatedAt = time.GetUtcNow(), Tries = claim.Tries + 1, LastError = e is CommsSendException ? e.Message : $"The try ended with {e.GetType().Name} ({e.Message})." };
            var after = (failure, request.Channel) switch
            {
                (CommsFailure.Permanent, _) => failed with { State = CommsSendStates.Failed },
                (CommsFailure.Retry, _) or (CommsFailure.Ambiguous, CommsChannel.Email) => failed with { State = CommsSendStates.Retry, ClaimedAt = null },
                _ => failed with { State = CommsSendStates.Failed, LastError = "The text may have been sent, so it is not sent again: " + failed.LastError },
            };
            if (await RecordAsync(after, claimEtag).ConfigureAwait(false) is null)
            {
                LogReleaseLost(logger, request.Template ?? string.Empty, ledgerKey);
            }

            LogFailed(logger, request.Channel, request.Template ?? string.Empty, masked, failure, CommsRedaction.MaskDigits(failed.LastError!));
            throw;
        }

        // A send that happened is a fact: recorded whatever else moved the row meanwhile.
        var sent = claim with { State = CommsSendStates.Sent, UpdatedAt = time.GetUtcNow(), ProviderId = providerId, LastError = null };
        if (await RecordAsync(sent, claimEtag).ConfigureAwait(false) is null)
        {
            LogClaimLost(logger, request.Template ?? string.Empty, masked, providerId);
            for (var attempt = 0; attempt < RecordAttempts * 4; attempt++)
            {
                if (await store.GetSendAsync(request.IdempotencyKey, CancellationToken.None).ConfigureAwait(false) is not { } again || again.Record.State == CommsSendStates.Sent)
                {
                    break;
                }

                if (await RecordAsync(again.Record with { State = CommsSendStates.Sent, UpdatedAt = time.GetUtcNow(), ProviderId = providerId, LastError = null }, again.ETag).ConfigureAwait(false) is not null)
                {
                    break;
                }
            }
        }

        LogSent(logger, request.Channel, request.Template ?? string.Empty, masked, providerId);
        return $"sent ({providerId})";
    }

    private const string SuppressedReason = "The address hard-bounced or complained before: not emailed.";

    /// <summary>
    /// Replaces the row read with <paramref name="etag"/> with an outcome, ignoring the try's cancellation and retrying a
    /// failing store a few times: what happened must reach the ledger. Null when the row changed since (lost the CAS).
    /// </summary>
    private async Task<global::Azure.ETag?> RecordAsync(CommsSendRecord record, global::Azure.ETag etag)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await store.TryReplaceSendAsync(record, etag, CancellationToken.None).ConfigureAwait(false);
            }
            catch (global::Azure.RequestFailedException) when (attempt < RecordAttempts)
            {
                // storage refused or did not answer: the same conditional write again
            }
        }
    }

    /// <summary>Marks the message failed for good (a template error, a recipient that cannot be right).</summary>
    private async Task FailAsync(CommsSendRecord current, global::Azure.ETag? etag, string reason, CancellationToken cancellationToken)
    {
        var failed = current with { State = CommsSendStates.Failed, UpdatedAt = time.GetUtcNow(), Tries = current.Tries + 1, LastError = reason };
        _ = etag is { } e ? await store.TryReplaceSendAsync(failed, e, cancellationToken).ConfigureAwait(false) : await store.TryAddSendAsync(failed, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckRecipient(CommsRequest request)
    {
        var to = request.To ?? string.Empty;
        var wellFormed = request.Channel == CommsChannel.Email
            ? to.Length is > 2 and <= 320 && to.Contains('@', StringComparison.Ordinal) && !to.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            : to.Length is >= 8 and <= 16 && to.TrimStart('+').All(char.IsAsciiDigit);
        if (!wellFormed)
        {
            throw new CommsSendException(
                $"The recipient '{CommsRedaction.Mask(to)}' is not {(request.Channel == CommsChannel.Email ? "one email address" : "a phone number (digits, optionally a leading +)")}: refused.",
                CommsFailure.Permanent);
        }
    }

    private static string Format(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "?";

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "comms: {Channel} {Template} to {To} sent ({ProviderId})")]
    private static partial void LogSent(ILogger logger, CommsChannel channel, string template, string to, string providerId);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "comms: {Channel} {Template} to {To} failed ({Failure}): {Reason}")]
    private static partial void LogFailed(ILogger logger, CommsChannel channel, string template, string to, CommsFailure failure, string reason);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Information, Message = "comms: email {Template} to {To} not sent: the address is suppressed")]
    private static partial void LogSuppressed(ILogger logger, string template, string to);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "comms: {Template} to {To} was sent ({ProviderId}) but its row changed meanwhile (a stale-claim takeover or comms-poison); recorded sent over it")]
    private static partial void LogClaimLost(ILogger logger, string template, string to, string providerId);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "comms: {Template} ({LedgerKey}) is suppressed, but its row changed meanwhile; not sent either way")]
    private static partial void LogSuppressedRowLost(ILogger logger, string template, string ledgerKey);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Warning, Message = "comms: {Template} ({LedgerKey}) failed, but its row changed meanwhile; its claim was not released by this delivery")]
    private static partial void LogReleaseLost(ILogger logger, string template, string ledgerKey);
}

/// <summary>The sender's settings: <c>Comms:ClaimTimeoutSeconds</c> (default 300: longer than a send can take, retries included).</summary>
public sealed class CommsSenderOptions
{
    public const string ClaimTimeoutSetting = "Comms:ClaimTimeoutSeconds";

    /// <summary>An hour at most: a crashed claim must expire well inside Resend's 24-hour idempotency window and the retry schedule.</summary>
    public const int MaxClaimTimeoutSeconds = 3600;

    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public static CommsSenderOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[ClaimTimeoutSetting] switch
        {
            null or "" => new CommsSenderOptions(),
            var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 90 and <= MaxClaimTimeoutSeconds => new CommsSenderOptions { ClaimTimeout = TimeSpan.FromSeconds(seconds) },
            var text => throw new InvalidOperationException($"The setting {ClaimTimeoutSetting} must be a whole number of seconds from 90 to {MaxClaimTimeoutSeconds}, more than a send can take (it is '{text}')."),
        };
    }
}
