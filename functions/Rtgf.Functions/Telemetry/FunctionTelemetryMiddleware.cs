using System.Diagnostics;
using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Rtgf.Core.Telemetry;

namespace Rtgf.Functions.Telemetry;

/// <summary>
/// The one place queue hops keep their trace and every function reports its golden signals (docs/spec/telemetry.md):
/// <list type="bullet">
/// <item>a queue delivery whose body carries a <c>traceparent</c> (<see cref="MessageTraceContext"/>) runs under a consumer
/// span whose <em>parent</em> is the sender's span, so one trace id follows an HTTP request or timer through every hop; the
/// host's own invocation span is kept as a link. A parent, not only a link: the seed asks for one correlation id end to end,
/// and Application Insights' transaction view follows parents. A message without one (sent before this version) runs as before;</item>
/// <item>queue messages the function returns (<c>[QueueOutput]</c> <c>$return</c>: a string or string[]) are stamped with the
/// current context, as <see cref="Azure.Pipeline.Messages.StorageQueueSender"/> stamps what the app sends itself;</item>
/// <item><see cref="RtgfMetrics.FunctionDurationMs"/> with the outcome, <see cref="RtgfMetrics.FunctionActiveCount"/>, and for
/// queue deliveries <see cref="RtgfMetrics.QueueAgeSeconds"/> from the trigger's <c>InsertionTime</c>.</item>
/// </list>
/// Registered outside <see cref="Http.HttpProblemMiddleware"/>, so an HTTP outcome is the status the client got.
/// </summary>
internal sealed class FunctionTelemetryMiddleware(TimeProvider time) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var function = context.FunctionDefinition.Name;
        var trigger = TriggerOf(context);
        var tags = new TagList { { "function", function }, { "trigger", trigger } };
        var started = time.GetTimestamp();

        using var activity = trigger == "queue" ? StartQueueActivity(context, function) : null;
        RtgfMetrics.FunctionActiveCount.Add(1, tags);
        var outcome = "failure";
        try
        {
            await next(context).ConfigureAwait(false);
            outcome = "success";
            if (context.GetHttpContext() is { } http)
            {
                tags.Add("http.response.status_code", http.Response.StatusCode);
                outcome = http.Response.StatusCode >= StatusCodes.Status500InternalServerError ? "failure" : "success";
            }

            StampReturnedMessages(context);
        }
        finally
        {
            RtgfMetrics.FunctionActiveCount.Add(-1, new TagList { { "function", function }, { "trigger", trigger } });
            tags.Add("outcome", outcome);
            RtgfMetrics.FunctionDurationMs.Record(time.GetElapsedTime(started).TotalMilliseconds, tags);
            if (outcome == "failure")
            {
                // No description: exception messages can carry data that must not leave the app.
                activity?.SetStatus(ActivityStatusCode.Error);
            }
        }
    }

    private Activity? StartQueueActivity(FunctionContext context, string function)
    {
        var data = context.BindingContext.BindingData;
        if (InsertionTime(data) is { } inserted)
        {
            var age = time.GetUtcNow() - inserted;
            RtgfMetrics.QueueAgeSeconds.Record(Math.Max(0, age.TotalSeconds), new TagList { { "function", function } });
        }

        if (Text(data, "DequeueCount") is { } count && long.TryParse(count, NumberStyles.Integer, CultureInfo.InvariantCulture, out var dequeues))
        {
            RtgfMetrics.QueueDequeueCountHistogram.Record(dequeues, new TagList { { "function", function } });
        }

        if (MessageTraceContext.Parse(Text(data, MessageTraceContext.TraceParent), Text(data, MessageTraceContext.TraceState)) is not { } parent)
        {
            return null;
        }

        ActivityLink[]? links = Activity.Current is { } host ? [new ActivityLink(host.Context)] : null;
        return RtgfTelemetry.Source.StartActivity(
            ActivityKind.Consumer, parent, tags: [new("faas.trigger", "pubsub"), new("faas.name", function)], links: links, name: "process " + function);
    }

    private static void StampReturnedMessages(FunctionContext context)
    {
        if (!context.FunctionDefinition.OutputBindings.TryGetValue("$return", out var output) ||
            !string.Equals(output.Type, "queue", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var result = context.GetInvocationResult();
        result.Value = result.Value switch
        {
            string message => MessageTraceContext.Stamp(message),
            string[] messages => Array.ConvertAll(messages, MessageTraceContext.Stamp),
            var other => other,
        };
    }

    private static string TriggerOf(FunctionContext context)
    {
        foreach (var binding in context.FunctionDefinition.InputBindings.Values)
        {
            if (binding.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            {
                return binding.Type[..^"Trigger".Length].ToLowerInvariant();
            }
        }

        return "other";
    }

    /// <summary>A trigger metadata value as text: the host sends some as JSON string literals (quoted).</summary>
    private static string? Text(IReadOnlyDictionary<string, object?> data, string key)
    {
        foreach (var (name, value) in data)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase) && value is not null)
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture);
                return text is { Length: >= 2 } && text[0] == '"' && text[^1] == '"' ? text[1..^1] : text;
            }
        }

        return null;
    }

    private static DateTimeOffset? InsertionTime(IReadOnlyDictionary<string, object?> data) =>
        Text(data, "InsertionTime") is { } text &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var inserted)
            ? inserted
            : null;
}
