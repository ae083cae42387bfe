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
/// Throws <see cref="CommsSendException"/> or <see cref="CommsTemplateException"/> for a failed try (the host retries, then
/// poisons); a permanent failure is recorded so later tries fail at once without calling the provider.
/// </summary>
public sealed partial class CommsSender(CommsTemplates templates, ResendClient resend, CellcastClient cellcast, TableCommsStore store, CommsSenderOptions options, TimeProvider time, ILogger<CommsSender> logger)
{
    public async Task<string> SendAsync(CommsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.IdempotencyKey))
        {
            throw new CommsSendException("The request has no idempotency key: refused, since a retry could not be told from a new message.", CommsFailure.Permanent);
        }

        var masked = CommsRedaction.Mask(request.To ?? string.Empty);
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
                throw new CommsSendException($"Another delivery of this message is sending it (claimed at {Format(current.ClaimedAt)}): tried again later.", CommsFailure.Retry);
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
            var suppressed = current with { State = CommsSendStates.Suppressed, UpdatedAt = now, LastError = "The address hard-bounced or complained before: not emailed." };
            _ = etag is { } e ? await store.TryReplaceSendAsync(suppressed, e, cancellationToken).ConfigureAwait(false) : await store.TryAddSendAsync(suppressed, cancellationToken).ConfigureAwait(false);
            LogSuppressed(logger, request.Template ?? string.Empty, masked);
            return "suppressed (not sent)";
        }

        // The claim: one delivery sends, the others see it (and retry later, or find the message sent).
        var claim = current with { State = CommsSendStates.Sending, UpdatedAt = now, ClaimedAt = now };
        var claimed = etag is { } held ? await store.TryReplaceSendAsync(claim, held, cancellationToken).ConfigureAwait(false) : await store.TryAddSendAsync(claim, cancellationToken).ConfigureAwait(false);
        if (claimed is not { } claimEtag)
        {
            throw new CommsSendException("Another delivery of this message claimed it first: tried again later.", CommsFailure.Retry);
        }

        string providerId;
        try
        {
            providerId = email is not null
                ? await resend.SendAsync(request.To!, email, request.IdempotencyKey, cancellationToken).ConfigureAwait(false)
                : await cellcast.SendAsync(request.To!, sms!, cancellationToken).ConfigureAwait(false);
        }
        catch (CommsSendException e)
        {
            var failed = claim with { UpdatedAt = time.GetUtcNow(), Tries = claim.Tries + 1, LastError = e.Message };
            var after = (e.Failure, request.Channel) switch
            {
                (CommsFailure.Permanent, _) => failed with { State = CommsSendStates.Failed },
                (CommsFailure.Retry, _) or (CommsFailure.Ambiguous, CommsChannel.Email) => failed with { State = CommsSendStates.Retry, ClaimedAt = null },
                _ => failed, // an SMS that may have gone out keeps its claim: the claim timeout decides (not sent again)
            };
            await store.TryReplaceSendAsync(after, claimEtag, cancellationToken).ConfigureAwait(false);
            LogFailed(logger, request.Channel, request.Template ?? string.Empty, masked, e.Failure, e.Message);
            throw;
        }

        var sent = claim with { State = CommsSendStates.Sent, UpdatedAt = time.GetUtcNow(), ProviderId = providerId, LastError = null };
        if (await store.TryReplaceSendAsync(sent, claimEtag, cancellationToken).ConfigureAwait(false) is null)
        {
            // Only a delivery that judged this claim stale can have moved it; the message went out either way.
            LogClaimLost(logger, request.Template ?? string.Empty, masked, providerId);
        }

        LogSent(logger, request.Channel, request.Template ?? string.Empty, masked, providerId);
        return $"sent ({providerId})";
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

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "comms: {Template} to {To} was sent ({ProviderId}) after its claim was taken over; recorded by the other delivery")]
    private static partial void LogClaimLost(ILogger logger, string template, string to, string providerId);
}

/// <summary>The sender's settings: <c>Comms:ClaimTimeoutSeconds</c> (default 300: longer than a send can take, retries included).</summary>
public sealed class CommsSenderOptions
{
    public const string ClaimTimeoutSetting = "Comms:ClaimTimeoutSeconds";

    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public static CommsSenderOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[ClaimTimeoutSetting] switch
        {
            null or "" => new CommsSenderOptions(),
            var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 90 and <= 86_400 => new CommsSenderOptions { ClaimTimeout = TimeSpan.FromSeconds(seconds) },
            var text => throw new InvalidOperationException($"The setting {ClaimTimeoutSetting} must be a whole number of seconds from 90 to 86400, more than a send can take (it is '{text}')."),
        };
    }
}
