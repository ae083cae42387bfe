using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Invocation;
using Rtgf.FunctionsHost.Rpc;
using Rtgf.FunctionsHost.Triggers;
using Rtgf.LocalRunner.Triggers;

namespace Rtgf.LocalRunner.Invocation;

/// <summary>Sends an invocation to the worker and waits for its response.</summary>
internal delegate Task<InvocationResult> InvokeWorker(InvocationRequest request, CancellationToken cancellationToken);

/// <summary>
/// One timer or queue invocation end to end, as the host runs it: send the request, then, after a success, send its
/// queue outputs (a failed send fails the invocation, so a queue message is delivered again), and report one line.
/// </summary>
internal sealed class FunctionRunner(InvokeWorker invoke, StorageQueues queues, RunnerEvents events, TimeProvider timeProvider)
{
    public TimeProvider TimeProvider => timeProvider;

    public async Task<InvocationOutcome> InvokeAsync(
        HostedFunction function,
        string trigger,
        Func<string, InvocationRequest> request,
        CancellationToken cancellationToken,
        params (string Name, object? Value)[] details)
    {
        var invocationId = InvocationIds.New();
        var started = timeProvider.GetTimestamp();
        string? error;
        var delivered = true;
        try
        {
            var result = await invoke(request(invocationId), cancellationToken).ConfigureAwait(false);
            error = result.Succeeded ? await SendOutputsAsync(function, result, cancellationToken).ConfigureAwait(false) : result.Error ?? "the function failed";
        }
        catch (WorkerUnavailableException e)
        {
            // The worker has gone (before or while running it): the function did not fail, the host did.
            error = e.Message;
            delivered = false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Anything else (a request that cannot be built, a channel fault) fails this invocation, never the trigger loop.
            error = "the invocation failed in the runner: " + e.Message.Split('\n')[0];
        }

        var outcome = new InvocationOutcome(invocationId, error is null, error, timeProvider.GetElapsedTime(started), delivered);
        events.Emit(
            "invocation",
            [
                ("function", function.Name),
                ("trigger", trigger),
                ("outcome", outcome.Succeeded ? "succeeded" : "failed"),
                ("durationMs", Math.Round(outcome.Duration.TotalMilliseconds, 1)),
                .. details,
                ("invocationId", invocationId),
                ("error", error),
                ("undelivered", delivered ? null : true),
            ]);
        return outcome;
    }

    private async Task<string?> SendOutputsAsync(HostedFunction function, InvocationResult result, CancellationToken cancellationToken)
    {
        string binding = "$return";
        try
        {
            foreach (var output in QueueOutputs.From(function, result))
            {
                binding = output.Binding.Name;
                var queue = queues.Queue(output.Binding, output.QueueName);
                await queues.EnsureAsync(queue, cancellationToken).ConfigureAwait(false);
                foreach (var message in output.Messages)
                {
                    await queue.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Unreadable outputs, storage down, retries exhausted (AggregateException): the invocation failed.
            var cause = e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[^1] : e;
            return $"output '{binding}' could not be sent: {cause.Message.Split('\n')[0]}";
        }

        return null;
    }
}
