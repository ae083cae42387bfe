using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Rtgf.CustomHandler.Invocation;

/// <summary>
/// A queue message (Service Bus or Storage) that triggered the function: its body and the delivery facts
/// the host puts in Metadata.
/// <para>
/// The host adds a JSON body's top-level properties to Metadata and lets them overwrite its own keys, so a
/// body with a <c>MessageId</c> or <c>DeliveryCount</c> field replaces the real value. Such keys are listed in
/// <see cref="ShadowedKeys"/> and their typed properties here are null rather than wrong. Idempotency keys
/// belong in the body for this reason.
/// </para>
/// </summary>
public sealed class TriggerMessage
{
    private static readonly string[] ServiceBusKeys =
    [
        "MessageId", "DeliveryCount", "EnqueuedTimeUtc", "EnqueuedTime", "ExpiresAtUtc", "ExpiresAt", "SequenceNumber",
        "LockToken", "ContentType", "CorrelationId", "Subject", "Label", "To", "ReplyTo", "SessionId", "DeadLetterSource",
        "ApplicationProperties", "UserProperties",
    ];

    private static readonly string[] StorageQueueKeys = ["Id", "DequeueCount", "InsertionTime", "ExpirationTime", "NextVisibleTime", "PopReceipt"];

    private TriggerMessage(BindingValue value, string body, IReadOnlySet<string> shadowed, string? messageId, int? deliveryCount, DateTimeOffset? enqueuedTime, bool isServiceBus)
    {
        Value = value;
        Body = body;
        ShadowedKeys = shadowed;
        MessageId = messageId;
        DeliveryCount = deliveryCount;
        EnqueuedTime = enqueuedTime;
        IsServiceBus = isServiceBus;
    }

    /// <summary>The message body as text (the host's encoding removed).</summary>
    public string Body { get; }

    public BindingValue Value { get; }

    public bool IsServiceBus { get; }

    /// <summary>Metadata keys whose values came from the body rather than the broker.</summary>
    public IReadOnlySet<string> ShadowedKeys { get; }

    /// <summary>Service Bus <c>MessageId</c> or Storage queue <c>Id</c>; null if the body shadows it.</summary>
    public string? MessageId { get; }

    /// <summary>How many times the message has been delivered, this time included (<c>DeliveryCount</c>/<c>DequeueCount</c>).</summary>
    public int? DeliveryCount { get; }

    public DateTimeOffset? EnqueuedTime { get; }

    public static TriggerMessage From(BindingValue value, InvocationMetadata metadata, bool isServiceBus)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var body = value.AsText() ?? string.Empty;
        var shadowed = BodyProperties(body, isServiceBus ? ServiceBusKeys : StorageQueueKeys);
        string? Text(string key) => shadowed.Contains(key) ? null : metadata.GetString(key);
        int? Count(string key) => shadowed.Contains(key) ? null : metadata.GetInt32(key);
        DateTimeOffset? Time(string key) => shadowed.Contains(key) ? null : metadata.GetDateTimeOffset(key);

        return isServiceBus
            ? new TriggerMessage(value, body, shadowed, Text("MessageId"), Count("DeliveryCount"), Time("EnqueuedTimeUtc") ?? Time("EnqueuedTime"), isServiceBus: true)
            : new TriggerMessage(value, body, shadowed, Text("Id"), Count("DequeueCount"), Time("InsertionTime"), isServiceBus: false);
    }

    /// <summary>Reads the body as JSON; throws <see cref="InvalidInvocationException"/> if it is not that shape.</summary>
    public T Deserialize<T>(JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(Body, typeInfo)
                ?? throw new InvalidInvocationException($"The message body is null, not a {typeof(T).Name}.");
        }
        catch (JsonException e)
        {
            throw new InvalidInvocationException($"The message body is not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static HashSet<string> BodyProperties(string body, string[] systemKeys)
    {
        var shadowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!body.AsSpan().TrimStart().StartsWith("{"))
        {
            return shadowed;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (systemKeys.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                {
                    shadowed.Add(property.Name);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: nothing was merged into Metadata.
        }

        return shadowed;
    }
}
