using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.Azure.Comms;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Comms;

/// <summary>
/// Applies Resend's email events from the webhook bus (docs/spec/comms.md): <c>email.sent</c>, <c>email.delivered</c>,
/// <c>email.delivery_delayed</c>, <c>email.bounced</c> and <c>email.complained</c> are merged into the email's delivery row
/// (the set of events seen; the status is the furthest stage, whatever the order), and a hard bounce (<c>bounce.type</c>
/// <c>Permanent</c>, or none given: Resend sends <c>email.bounced</c> for permanent rejections) or a complaint puts every
/// recipient on the suppression list. Both writes are idempotent, so duplicates and replays change nothing. Other event
/// types, and bodies without an email id, are logged and ignored (not retried).
/// </summary>
public sealed partial class ResendWebhookHandler(TableCommsStore store, ILogger<ResendWebhookHandler> logger) : IWebhookHandler
{
    public string Provider => "resend";

    public async Task HandleAsync(WebhookEvent webhook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        if (!TableCommsStore.DeliveryStages.Contains(webhook.EventType, StringComparer.Ordinal))
        {
            LogIgnored(logger, webhook.EventId, webhook.EventType, "not an email delivery event");
            return;
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(webhook.Body.Span) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        var data = body?["data"] as JsonObject;
        if (Text(data?["email_id"]) is not { Length: > 0 } emailId)
        {
            LogIgnored(logger, webhook.EventId, webhook.EventType, "no data.email_id");
            return;
        }

        var at = Text(body?["created_at"]) is { } created && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : webhook.ReceivedAt;
        var delivery = await store.RecordDeliveryAsync(emailId, webhook.EventType, at, cancellationToken).ConfigureAwait(false);

        var bounceType = Text(data!["bounce"]?["type"]);
        var suppress = webhook.EventType switch
        {
            "email.complained" => "complained",
            "email.bounced" when bounceType is null || string.Equals(bounceType, "Permanent", StringComparison.OrdinalIgnoreCase) => "hard bounce",
            _ => null,
        };
        var added = 0;
        if (suppress is not null)
        {
            var recipients = data["to"] switch
            {
                JsonArray array => array.Select(Text).OfType<string>().ToList(),
                var single => Text(single) is { } one ? [one] : [],
            };
            foreach (var recipient in recipients.Where(r => r.Contains('@', StringComparison.Ordinal)))
            {
                if (await store.SuppressAsync(recipient, suppress, webhook.EventId, at, cancellationToken).ConfigureAwait(false))
                {
                    added++;
                    LogSuppressed(logger, CommsRedaction.Mask(recipient), suppress, webhook.EventId);
                }
            }
        }

        LogApplied(logger, webhook.EventId, webhook.EventType, emailId, delivery.Status, added);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    [LoggerMessage(EventId = 7111, Level = LogLevel.Information, Message = "Resend event {EventId} ({EventType}) ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string eventId, string eventType, string reason);

    [LoggerMessage(EventId = 7112, Level = LogLevel.Information, Message = "Resend event {EventId} ({EventType}) applied: email {EmailId} is {Status}; {Suppressed} address(es) newly suppressed")]
    private static partial void LogApplied(ILogger logger, string eventId, string eventType, string emailId, string status, int suppressed);

    [LoggerMessage(EventId = 7113, Level = LogLevel.Warning, Message = "comms: {To} suppressed ({Reason}, Resend event {EventId}): not emailed again")]
    private static partial void LogSuppressed(ILogger logger, string to, string reason, string eventId);
}
