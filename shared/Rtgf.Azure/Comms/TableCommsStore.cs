using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;

namespace Rtgf.Azure.Comms;

/// <summary>The states of one message (one idempotency key) in the comms ledger (docs/spec/comms.md).</summary>
public static class CommsSendStates
{
    /// <summary>Claimed by a delivery that is sending (or died sending: see the claim timeout).</summary>
    public const string Sending = "sending";

    /// <summary>A try failed in a way that certainly sent nothing; the next delivery sends.</summary>
    public const string Retry = "retry";

    public const string Sent = "sent";

    /// <summary>Not sent: the address is on the suppression list.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>Not sent and never will be by retrying (a template error, the provider refused the message, an SMS that may have gone out).</summary>
    public const string Failed = "failed";

    /// <summary>Given up on (the host poisoned it, or its retries ran out); its request is kept and an operator can replay it.</summary>
    public const string Poisoned = "poisoned";

    public static readonly IReadOnlyList<string> All = [Sending, Retry, Sent, Suppressed, Failed, Poisoned];
}

/// <summary>A page of ledger rows and the store's continuation token for the next.</summary>
public sealed record CommsSendPage(IReadOnlyList<CommsSendRecord> Records, string? Continuation);

/// <summary>One message's row: its key, what it is, its state, and the provider's id once sent. The recipient only masked.</summary>
public sealed record CommsSendRecord(
    string IdempotencyKey,
    string Channel,
    string Template,
    string MaskedTo,
    string State,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClaimedAt = null,
    string? ProviderId = null,
    int Tries = 0,
    string? LastError = null);

/// <summary>What Resend said about one email, merged over its events in any order (the highest stage wins).</summary>
public sealed record EmailDelivery(string EmailId, string Status, IReadOnlySet<string> Events, DateTimeOffset LastEventAt);

/// <summary>
/// The comms tables' one store (table <c>comms</c>, created on first use, with a prefix): partition <c>send</c> (one row per
/// idempotency key, RowKey its SHA-256: the ledger that makes a duplicate delivery send nothing), partition <c>delivery</c>
/// (RowKey = Resend's email id: delivery status from its webhooks) and partition <c>suppressed</c> (RowKey = SHA-256 of the
/// normalised address: hard-bounced or complained, never emailed again) and partition <c>request</c> (RowKey = the ledger
/// key: the whole request of a poisoned message, recipient and values included, kept so an operator can replay it; the
/// table is operators' only, and nothing of it is logged). Every change is a conditional insert or a
/// compare-and-swap on the ETag.
/// </summary>
public sealed class TableCommsStore(Func<TableServiceClient> service, string prefix = "")
{
    public const string TableName = "comms";
    private const string SendPartition = "send";
    private const string DeliveryPartition = "delivery";
    private const string SuppressedPartition = "suppressed";
    private const string RequestPartition = "request";
    private const int MaxAttempts = 16;

    /// <summary>Resend's email events by stage: a later stage wins whatever order the events arrive in.</summary>
    public static readonly IReadOnlyList<string> DeliveryStages = ["email.sent", "email.delivery_delayed", "email.delivered", "email.bounced", "email.complained"];

    private readonly Lazy<CreatedOnFirstUse<TableClient>> _table = new(() => CreatedOnFirstUse.Table(service(), prefix + TableName), LazyThreadSafetyMode.PublicationOnly);

    /// <summary>The ledger's key of a message: the SHA-256 of its idempotency key (what logs and <c>/ops/comms/{key}</c> name).</summary>
    public static string LedgerKey(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return Digest(idempotencyKey);
    }

    /// <summary>True when <paramref name="text"/> has the form of a <see cref="LedgerKey"/> (64 lower-case hex digits).</summary>
    public static bool IsLedgerKey(string? text) => text is { Length: 64 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public Task<(CommsSendRecord Record, ETag ETag)?> GetSendAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        GetSendByLedgerKeyAsync(Digest(idempotencyKey), cancellationToken);

    public async Task<(CommsSendRecord Record, ETag ETag)?> GetSendByLedgerKeyAsync(string ledgerKey, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        return await table.GetRowAsync(SendPartition, ledgerKey, cancellationToken).ConfigureAwait(false) is { } e ? (FromEntity(e), e.ETag) : null;
    }

    /// <summary>A page of the ledger, in key order, only rows in <paramref name="state"/> when given.</summary>
    public async Task<CommsSendPage> ListSendsAsync(string? state, int limit, string? continuation, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var filter = state is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {SendPartition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {SendPartition} and State eq {state}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: limit, cancellationToken: cancellationToken).AsPages(continuation, limit).ConfigureAwait(false))
        {
            return new CommsSendPage([.. page.Values.Select(FromEntity)], string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new CommsSendPage([], null);
    }

    /// <summary>Keeps the whole request (its JSON) of the message with <paramref name="ledgerKey"/>, replacing any kept before.</summary>
    public async Task StoreRequestAsync(string ledgerKey, string requestJson, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(TableLimits.Checked(new TableEntity(RequestPartition, ledgerKey) { ["Request"] = requestJson }), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The request kept for the message with <paramref name="ledgerKey"/> (its JSON), or null.</summary>
    public async Task<string?> GetRequestAsync(string ledgerKey, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        return (await table.GetRowAsync(RequestPartition, ledgerKey, cancellationToken).ConfigureAwait(false))?.GetString("Request");
    }

    /// <summary>Adds the row unless the key has one (then null: another delivery got there first).</summary>
    public async Task<ETag?> TryAddSendAsync(CommsSendRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (await table.AddEntityAsync(ToEntity(record), cancellationToken).ConfigureAwait(false)).Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>Replaces the row read with <paramref name="etag"/>; null when it changed since.</summary>
    public async Task<ETag?> TryReplaceSendAsync(CommsSendRecord record, ETag etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (await table.UpdateEntityAsync(ToEntity(record), etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)).Headers.ETag;
        }
        catch (RequestFailedException e) when (e.IsConditionLost())
        {
            return null;
        }
    }

    public async Task<bool> IsSuppressedAsync(string address, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        return await table.GetRowAsync(SuppressedPartition, Digest(NormalizeAddress(address)), cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Puts the address on the suppression list (once: the first reason is kept); true when this call added it.</summary>
    public async Task<bool> SuppressAsync(string address, string reason, string eventId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var normalized = NormalizeAddress(address);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(
                TableLimits.Checked(new TableEntity(SuppressedPartition, Digest(normalized))
                {
                    ["Address"] = normalized,
                    ["Reason"] = reason,
                    ["EventId"] = eventId,
                    ["At"] = at,
                }),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<EmailDelivery?> GetDeliveryAsync(string emailId, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        return await table.GetRowAsync(DeliveryPartition, RowKeyOf(emailId), cancellationToken).ConfigureAwait(false) is { } e ? DeliveryOf(emailId, e) : null;
    }

    /// <summary>
    /// Records that <paramref name="eventType"/> (one of <see cref="DeliveryStages"/>) happened to the email: the set of
    /// events seen grows, the status is the highest stage seen. Applying an event twice, or events in any order, ends the same.
    /// </summary>
    public async Task<EmailDelivery> RecordDeliveryAsync(string emailId, string eventType, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!DeliveryStages.Contains(eventType, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{eventType}' is not an email delivery event.", nameof(eventType));
        }

        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entity = await table.GetRowAsync(DeliveryPartition, RowKeyOf(emailId), cancellationToken).ConfigureAwait(false);
            var current = entity is null ? null : DeliveryOf(emailId, entity);
            var events = new SortedSet<string>(current?.Events ?? new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal) { eventType };
            var last = current is null || at > current.LastEventAt ? at : current.LastEventAt;
            var next = new EmailDelivery(emailId, DeliveryStages.Last(events.Contains), events, last);
            if (current is not null && current.Events.SetEquals(events) && current.LastEventAt == last)
            {
                return current;
            }

            var row = TableLimits.Checked(new TableEntity(DeliveryPartition, RowKeyOf(emailId))
            {
                ["EmailId"] = emailId,
                ["Status"] = next.Status,
                ["Events"] = string.Join(' ', events),
                ["LastEventAt"] = last,
            });
            try
            {
                if (entity is null)
                {
                    await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.UpdateEntityAsync(row, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return next;
            }
            catch (RequestFailedException e) when (e.IsConditionLost())
            {
                // Another event of this email was recorded meanwhile: merge again over it.
            }
        }

        throw new InvalidOperationException($"The delivery row of email {emailId} kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>The address as it is compared: the part inside <c>&lt;…&gt;</c> if any, trimmed, lower case.</summary>
    public static string NormalizeAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var open = address.LastIndexOf('<');
        var close = address.LastIndexOf('>');
        var bare = open >= 0 && close > open ? address[(open + 1)..close] : address;
        return bare.Trim().ToLowerInvariant();
    }

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Resend's ids are UUIDs; anything else (a key character) is hashed rather than trusted as a RowKey.</summary>
    private static string RowKeyOf(string emailId) =>
        emailId.Length is > 0 and <= 200 && emailId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? emailId : "sha256-" + Digest(emailId);

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => _table.Value.GetAsync(cancellationToken);

    private static EmailDelivery DeliveryOf(string emailId, TableEntity e) => new(
        emailId,
        e.GetString("Status") ?? string.Empty,
        new SortedSet<string>((e.GetString("Events") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal),
        e.GetDateTimeOffset("LastEventAt") ?? DateTimeOffset.MinValue);

    private static TableEntity ToEntity(CommsSendRecord r)
    {
        var entity = new TableEntity(SendPartition, Digest(r.IdempotencyKey))
        {
            ["IdempotencyKey"] = r.IdempotencyKey,
            ["Channel"] = r.Channel,
            ["Template"] = r.Template,
            ["MaskedTo"] = r.MaskedTo,
            ["State"] = r.State,
            ["UpdatedAt"] = r.UpdatedAt,
            ["ClaimedAt"] = r.ClaimedAt,
            ["ProviderId"] = r.ProviderId,
            ["Tries"] = r.Tries,
            ["LastError"] = r.LastError is { Length: > 500 } tooLong ? tooLong[..500] : r.LastError,
        };
        foreach (var empty in entity.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            entity.Remove(empty);
        }

        return TableLimits.Checked(entity);
    }

    private static CommsSendRecord FromEntity(TableEntity e) => new(
        e.GetString("IdempotencyKey") ?? string.Empty,
        e.GetString("Channel") ?? string.Empty,
        e.GetString("Template") ?? string.Empty,
        e.GetString("MaskedTo") ?? string.Empty,
        e.GetString("State") ?? string.Empty,
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("ClaimedAt"),
        e.GetString("ProviderId"),
        e.GetInt32("Tries") ?? 0,
        e.GetString("LastError"));
}
