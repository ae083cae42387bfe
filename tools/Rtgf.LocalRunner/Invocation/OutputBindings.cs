using System.Text.Json.Nodes;
using Rtgf.CustomHandler.Metadata;

namespace Rtgf.LocalRunner.Invocation;

/// <summary>Applies a successful invocation's queue and Service Bus outputs, as the host's output bindings do.</summary>
internal sealed class OutputBindings(LocalQueues queues, LocalSettings settings, RunnerEvents events)
{
    /// <summary>Sends every message; a send that fails fails the invocation (the trigger is retried).</summary>
    public async Task ApplyAsync(FunctionMetadata function, JsonObject? outputs, CancellationToken cancellationToken)
    {
        if (outputs is null)
        {
            return;
        }

        foreach (var binding in function.Outputs)
        {
            if (binding.Type is not ("serviceBus" or "queue") || !outputs.TryGetPropertyValue(binding.Name, out var value))
            {
                continue;
            }

            var queueName = settings.Resolve(binding.GetString("queueName") ?? string.Empty)
                ?? throw new RunnerException($"{function.Name}: output '{binding.Name}' names an app setting that is not set.");
            var messages = OutputMessages.From(value, binding.GetString("dataType") == "binary", w => events.Emit("warning", ("function", function.Name), ("output", binding.Name), ("message", w)));
            var queue = queues.Get(queueName);
            foreach (var message in messages)
            {
                await queue.SendMessageAsync(message, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            events.Emit("output", ("function", function.Name), ("binding", binding.Name), ("queue", queueName), ("messages", messages.Count));
        }

        foreach (var (name, _) in outputs)
        {
            if (!function.Bindings.Any(b => b.Direction == "out" && b.Name == name))
            {
                events.Emit("warning", ("function", function.Name), ("message", $"output '{name}' is not a binding in function.json; the host ignores it (names are case-sensitive)"));
            }
        }
    }
}
