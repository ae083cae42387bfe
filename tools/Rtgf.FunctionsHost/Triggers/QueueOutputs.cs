using System.Text.Json;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Triggers;

// STUB (wip/runner): stands in for the triggers engineer's version until it lands; take theirs on merge.

/// <summary>The messages one invocation wrote to one queue output binding (queue name as declared, <c>%SETTING%</c> unresolved).</summary>
public sealed record OutputMessages(HostedBinding Binding, string QueueName, IReadOnlyList<string> Messages);

/// <summary>A successful invocation's queue outputs, as the host sends them: a JSON array is one message per element.</summary>
public static class QueueOutputs
{
    public static IReadOnlyList<OutputMessages> From(HostedFunction function, InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(result);
        var outputs = new List<OutputMessages>();
        foreach (var binding in function.Outputs.Where(b => b.Is("queue")))
        {
            var data = binding.Name == "$return" ? result.ReturnValue : result.Outputs.FirstOrDefault(o => o.Name == binding.Name)?.Data;
            var messages = Messages(data);
            if (messages.Count > 0)
            {
                outputs.Add(new OutputMessages(binding, binding.Property("queueName") ?? string.Empty, messages));
            }
        }

        return outputs;
    }

    private static List<string> Messages(TypedData? data)
    {
        switch (data?.DataCase)
        {
            case TypedData.DataOneofCase.String:
                return [data.String];
            case TypedData.DataOneofCase.Bytes:
                return [data.Bytes.ToStringUtf8()];
            case TypedData.DataOneofCase.CollectionString:
                return [.. data.CollectionString.String];
            case TypedData.DataOneofCase.Json:
                using (var document = JsonDocument.Parse(data.Json))
                {
                    var root = document.RootElement;
                    return root.ValueKind switch
                    {
                        JsonValueKind.Null => [],
                        JsonValueKind.Array => [.. root.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())],
                        _ => [root.GetRawText()],
                    };
                }

            default:
                return [];
        }
    }
}
