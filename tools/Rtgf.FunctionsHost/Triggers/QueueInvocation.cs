using System.Globalization;
using System.Text.Json;
using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Triggers;

/// <summary>One dequeued storage queue message, as the listener received it (text already decoded from the queue's encoding).</summary>
public sealed record QueueDelivery(string MessageId, string PopReceipt, string Text, long DequeueCount, DateTimeOffset? InsertedOn, DateTimeOffset? ExpiresOn, DateTimeOffset? NextVisibleOn);

/// <summary>
/// The <c>InvocationRequest</c> the host sends for a storage queue trigger: the message text as a string input (what a
/// <c>string</c> or POCO parameter converts from), and trigger metadata that parameters bind to by name (WebJobs
/// <c>QueueTriggerBinding.CreateBindingData</c>, then the host's <c>Utility.ApplyBindingData</c> for JSON messages).
/// </summary>
public static class QueueInvocation
{
    /// <summary>The keys the queue extension itself sets; a JSON message's own top-level properties replace them, as in the host.</summary>
    public static readonly IReadOnlyList<string> HostKeys = ["DequeueCount", "ExpirationTime", "Id", "InsertionTime", "NextVisibleTime", "PopReceipt", "QueueTrigger"];

    public static InvocationRequest Create(HostedFunction function, string invocationId, QueueDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentException.ThrowIfNullOrEmpty(invocationId);
        ArgumentNullException.ThrowIfNull(delivery);
        if (!function.IsQueue)
        {
            throw new ArgumentException($"Function '{function.Name}' is not a queue function (its trigger is {function.Trigger.Type}).", nameof(function));
        }

        var request = new InvocationRequest { InvocationId = invocationId, FunctionId = function.Id, TraceContext = new RpcTraceContext() };
        request.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { String = delivery.Text } });

        // Strings go as strings; the long and the DateTimeOffsets go through the host's Json.NET default (ToRpcDefault):
        // a number and quoted ISO times. An unset expiry or visibility is DateTimeOffset.MaxValue there too; an unset
        // insertion time (the host uses "now") is left out so that an invocation depends only on its delivery.
        var metadata = request.TriggerMetadata;
        metadata["QueueTrigger"] = new TypedData { String = delivery.Text };
        metadata["Id"] = new TypedData { String = delivery.MessageId };
        metadata["PopReceipt"] = new TypedData { String = delivery.PopReceipt };
        metadata["DequeueCount"] = new TypedData { Json = delivery.DequeueCount.ToString(CultureInfo.InvariantCulture) };
        metadata["ExpirationTime"] = Time(delivery.ExpiresOn ?? DateTimeOffset.MaxValue);
        metadata["NextVisibleTime"] = Time(delivery.NextVisibleOn ?? DateTimeOffset.MaxValue);
        if (delivery.InsertedOn is { } inserted)
        {
            metadata["InsertionTime"] = Time(inserted);
        }

        AddMessageProperties(metadata, delivery.Text);
        return request;
    }

    /// <summary>
    /// The top-level properties of a JSON-object message, as the host adds them after the extension's own keys (host
    /// <c>WorkerFunctionInvoker.TransformInput</c> → <c>Utility.ApplyBindingData</c>: <c>bindingData[key] = value</c>):
    /// objects as JSON, scalars as their text, arrays and nulls skipped, and a property DOES replace a key the extension
    /// set — a message with its own <c>"id"</c> changes what <c>string id</c> binds to, so an app that needs the broker's
    /// message id must refuse such bodies (the app's <c>QueueMessages.MessageId</c> does). The host's binding data is
    /// case-insensitive: the replaced entry keeps the extension's spelling of the key.
    /// </summary>
    private static void AddMessageProperties(Google.Protobuf.Collections.MapField<string, TypedData> metadata, string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length < 2 || trimmed[0] != '{' || trimmed[^1] != '}')
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            // Not JSON after all: the host ignores it too.
            return;
        }

        using (document)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                TypedData? value = property.Value.ValueKind switch
                {
                    JsonValueKind.Object => new TypedData { Json = property.Value.GetRawText() },
                    JsonValueKind.String => new TypedData { String = property.Value.GetString() },
                    JsonValueKind.Number => new TypedData { String = property.Value.GetRawText() },
                    JsonValueKind.True => new TypedData { String = bool.TrueString },
                    JsonValueKind.False => new TypedData { String = bool.FalseString },
                    _ => null,
                };
                if (value is not null)
                {
                    var key = metadata.Keys.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase)) ?? property.Name;
                    metadata[key] = value;
                }
            }
        }
    }

    /// <summary>A JSON string literal; the round-trip form has nothing that needs escaping.</summary>
    private static TypedData Time(DateTimeOffset value) =>
        new() { Json = "\"" + value.ToString("O", CultureInfo.InvariantCulture) + "\"" };
}
