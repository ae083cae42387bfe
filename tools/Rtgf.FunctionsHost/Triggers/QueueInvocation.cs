using System.Globalization;
using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Triggers;

// STUB (wip/runner): stands in for the triggers engineer's version until it lands; take theirs on merge.

/// <summary>One delivery of a Storage queue message, as the host reads it from the queue.</summary>
public sealed record QueueDelivery(string MessageId, string PopReceipt, string Text, long DequeueCount, DateTimeOffset? InsertedOn, DateTimeOffset? ExpiresOn, DateTimeOffset? NextVisibleOn);

/// <summary>The invocation the host sends for a queue message: the text as a string, the message's properties in trigger metadata.</summary>
public static class QueueInvocation
{
    public static InvocationRequest Create(HostedFunction function, string invocationId, QueueDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(delivery);
        var request = new InvocationRequest { InvocationId = invocationId, FunctionId = function.Id, TraceContext = new RpcTraceContext() };
        request.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { String = delivery.Text } });
        request.TriggerMetadata["QueueTrigger"] = new TypedData { String = delivery.Text };
        request.TriggerMetadata["Id"] = new TypedData { String = delivery.MessageId };
        request.TriggerMetadata["PopReceipt"] = new TypedData { String = delivery.PopReceipt };
        request.TriggerMetadata["DequeueCount"] = new TypedData { Json = delivery.DequeueCount.ToString(CultureInfo.InvariantCulture) };
        Add(request, "ExpirationTime", delivery.ExpiresOn);
        Add(request, "InsertionTime", delivery.InsertedOn);
        Add(request, "NextVisibleTime", delivery.NextVisibleOn);
        return request;
    }

    private static void Add(InvocationRequest request, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            request.TriggerMetadata[name] = new TypedData { Json = "\"" + time.ToString("O", CultureInfo.InvariantCulture) + "\"" };
        }
    }
}
