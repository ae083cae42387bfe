using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rtgf.Core.Telemetry;

/// <summary>
/// W3C trace context carried inside a queue message (docs/spec/telemetry.md#traces): top-level <c>traceparent</c> and
/// <c>tracestate</c> members of a JSON object body. Storage queues have no message headers, and the Functions host turns a
/// JSON body's top-level members into trigger metadata, so the receiving middleware reads them without parsing the body.
/// Message contracts ignore unknown members, so readers that do not know these two still work; bodies that are not JSON
/// objects, and messages sent with no current activity, are left as they are.
/// </summary>
public static class MessageTraceContext
{
    public const string TraceParent = "traceparent";

    public const string TraceState = "tracestate";

    /// <summary><paramref name="message"/> with the current activity's context as its <c>traceparent</c>/<c>tracestate</c> members.</summary>
    public static string Stamp(string message) => Stamp(message, Activity.Current);

    /// <summary><paramref name="message"/> with <paramref name="activity"/>'s context, or unchanged (no activity, not a JSON object).</summary>
    public static string Stamp(string message, Activity? activity)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (activity is null || message.Length == 0 || message[0] != '{')
        {
            return message;
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(message) as JsonObject;
        }
        catch (JsonException)
        {
            return message;
        }

        if (body is null)
        {
            return message;
        }

        // A redelivered or forwarded body keeps the hop that sent it last: the newest context wins.
        body[TraceParent] = activity.Id;
        if (string.IsNullOrEmpty(activity.TraceStateString))
        {
            body.Remove(TraceState);
        }
        else
        {
            body[TraceState] = activity.TraceStateString;
        }

        return body.ToJsonString();
    }

    /// <summary>The context a message carries, or null when it has none (an old message) or a malformed one.</summary>
    public static ActivityContext? Parse(string? traceParent, string? traceState) =>
        !string.IsNullOrEmpty(traceParent) && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context)
            ? context
            : null;
}
