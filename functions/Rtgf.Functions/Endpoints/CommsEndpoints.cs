using System.Globalization;
using Azure;
using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.Azure.Comms;
using Rtgf.Functions.Comms;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Audit;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// One comms message as operators see it: its ledger key (the SHA-256 of its idempotency key), what it is, its state and
/// last error, the recipient masked. Never the recipient, the values or the idempotency key itself.
/// </summary>
/// <param name="Key">The ledger key: the SHA-256 (hex) of the idempotency key.</param>
/// <param name="Channel">email or sms.</param>
/// <param name="Template">The template's name.</param>
/// <param name="To">The recipient, masked.</param>
/// <param name="State">sending, retry, sent, suppressed, failed or poisoned.</param>
/// <param name="UpdatedAt">When the row last changed.</param>
/// <param name="ClaimedAt">When a delivery last claimed it to send.</param>
/// <param name="ProviderId">Resend's email id or Cellcast's message id, once sent.</param>
/// <param name="Tries">Tries that reached a provider and failed.</param>
/// <param name="LastError">Why the last try failed (no secret, recipients masked).</param>
/// <param name="RequestKept">Whether its whole request is kept for a replay (only shown for one message).</param>
internal sealed record CommsMessageView(
    string Key, string Channel, string Template, string To, string State, DateTimeOffset UpdatedAt, DateTimeOffset? ClaimedAt,
    string? ProviderId, int Tries, string? LastError, bool? RequestKept);

/// <summary>A page of comms messages and the cursor of the next.</summary>
internal sealed record CommsMessageList(IReadOnlyList<CommsMessageView> Messages, string? NextCursor);

/// <summary>The comms ledger's operator handlers (docs/spec/comms.md): <c>/ops/comms…</c> lists, shows and replays.</summary>
internal static partial class CommsEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static async Task<Results<Ok<CommsMessageList>, ProblemHttpResult>> ListAsync(HttpRequest request, TableCommsStore store, CancellationToken cancellationToken)
    {
        var state = QueryValues.Get(request, "state");
        if (state is not null && !CommsSendStates.All.Contains(state))
        {
            return ApiProblem.InvalidRequest($"'state' is one of {string.Join(", ", CommsSendStates.All)}.");
        }

        if (!PageRequest.TryRead(request, DefaultPageSize, MaxPageSize, out var requested, out var invalid))
        {
            return invalid;
        }

        var limit = requested.Limit;
        var continuation = requested.Continuation;

        CommsSendPage page;
        try
        {
            page = await store.ListSendsAsync(state, limit, continuation, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status400BadRequest)
        {
            return ApiProblem.InvalidRequest("'cursor' is not a cursor this API gave out.");
        }

        return TypedResults.Ok(new CommsMessageList([.. page.Records.Select(r => View(r, null))], page.Continuation is { } next ? ContinuationCursor.Encode(next) : null));
    }

    public static async Task<Results<Ok<CommsMessageView>, ProblemHttpResult>> GetAsync(string key, TableCommsStore store, CancellationToken cancellationToken)
    {
        if (!TableCommsStore.IsLedgerKey(key))
        {
            return InvalidKey();
        }

        if (await store.GetSendByLedgerKeyAsync(key, cancellationToken).ConfigureAwait(false) is not { } read)
        {
            return ApiProblem.NotFound($"No comms message has the key {key}.");
        }

        return TypedResults.Ok(View(read.Record, await store.GetRequestAsync(key, cancellationToken).ConfigureAwait(false) is not null));
    }

    public static async Task<Results<Ok<CommsMessageView>, ProblemHttpResult>> ReplayAsync(
        HttpRequest request, string key, CommsDeadLetters deadLetters, IConfiguration settings, ILogger logger, OperatorAudit audit,
        CancellationToken cancellationToken)
    {
        if (!TableCommsStore.IsLedgerKey(key))
        {
            return InvalidKey();
        }

        var actor = OperatorActor.From(request, settings);
        var (outcome, record) = await deadLetters.ReplayAsync(key, actor, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case CommsReplayOutcome.NotFound:
                return ApiProblem.NotFound($"No comms message has the key {key}.");
            case CommsReplayOutcome.NotReplayable:
                return ApiProblem.CommsNotReplayable($"The message is {record!.State}: only a poisoned message (or one replayed already, in state retry) is sent again.");
            case CommsReplayOutcome.NoRequest:
                return ApiProblem.CommsNotReplayable("The message was poisoned before its request was kept: there is nothing to send again; its sender must enqueue it anew.");
        }

        Replayed(logger, key, record!.Template, actor);

        // Audit id: the message and the replay's instant (each replay sends again; a repeated request is another replay). The
        // subject is the ledger key (a hash), never the recipient or the idempotency key.
        var entry = new AuditEntry(
            string.Create(CultureInfo.InvariantCulture, $"{AuditActions.CommsReplayed}:{key}:{record.UpdatedAt.UtcTicks}"), record.UpdatedAt, actor, AuditActions.CommsReplayed, key,
            new Dictionary<string, string> { ["channel"] = record.Channel, ["template"] = record.Template });
        if (await audit.RecordAsync(entry, $"The comms message {key} was queued to be sent again.", retry: false).ConfigureAwait(false) is { } unaudited)
        {
            return unaudited;
        }

        return TypedResults.Ok(View(record, true));
    }

    private static ProblemHttpResult InvalidKey() =>
        ApiProblem.InvalidRequest("A comms message's key is the SHA-256 of its idempotency key: 64 lower-case hex digits.");

    private static CommsMessageView View(CommsSendRecord r, bool? requestKept) =>
        new(TableCommsStore.LedgerKey(r.IdempotencyKey), r.Channel, r.Template, r.MaskedTo, r.State, r.UpdatedAt, r.ClaimedAt, r.ProviderId, r.Tries, r.LastError, requestKept);

    [LoggerMessage(EventId = 7110, Level = LogLevel.Information, Message = "comms: {Template} ({LedgerKey}) replayed by {Actor}")]
    private static partial void Replayed(ILogger logger, string ledgerKey, string template, string actor);
}
