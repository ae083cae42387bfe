using System.Text.Json.Nodes;
using Rtgf.CustomHandler.Metadata;

namespace Rtgf.LocalRunner.Invocation;

/// <summary>
/// One invocation end to end, as the host runs it: send the envelope, judge the answer, apply the outputs only
/// after a success (a failed send fails the invocation), and report the outcome.
/// </summary>
internal sealed class FunctionInvoker(HandlerClient handler, OutputBindings outputs, RunnerEvents events, TimeProvider timeProvider)
{
    public TimeProvider TimeProvider => timeProvider;

    public async Task<InvocationOutcome> InvokeAsync(
        FunctionMetadata function,
        string trigger,
        Func<DateTimeOffset, string, JsonObject> envelope,
        CancellationToken cancellationToken,
        params (string Name, object? Value)[] details)
    {
        var invocationId = HostRandom.NewId();
        var outcome = await handler.InvokeAsync(function.Name, envelope(timeProvider.GetUtcNow(), HostRandom.NewId()), invocationId, cancellationToken).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            try
            {
                await outputs.ApplyAsync(function, outcome.Outputs, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = outcome with { Succeeded = false, Error = "an output binding failed: " + e.Message };
            }
        }

        foreach (var line in outcome.Logs)
        {
            events.Emit("function-log", ("function", function.Name), ("invocationId", invocationId), ("line", line));
        }

        events.Emit(
            "invocation",
            [
                ("function", function.Name),
                ("trigger", trigger),
                ("outcome", outcome.Succeeded ? "succeeded" : "failed"),
                ("durationMs", Math.Round(outcome.Duration.TotalMilliseconds, 1)),
                .. details,
                ("invocationId", invocationId),
                ("error", outcome.Error),
            ]);
        return outcome;
    }
}
