using System.Globalization;
using System.Text.Json.Nodes;
using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Triggers;

// STUB (wip/runner): stands in for the triggers engineer's version until it lands; take theirs on merge.

/// <summary>One timer firing: the schedule status the host passes (null parts when the monitor is off) and whether it is past due.</summary>
public sealed record TimerFiring(DateTimeOffset? Last, DateTimeOffset Next, DateTimeOffset? LastUpdated, bool IsPastDue);

/// <summary>The invocation the host sends for a timer firing: <c>TimerInfo</c> as JSON, the firing time in trigger metadata.</summary>
public static class TimerInvocation
{
    public static InvocationRequest Create(HostedFunction function, string invocationId, TimerFiring firing)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(firing);
        JsonNode? status = firing.Last is { } last
            ? new JsonObject { ["Last"] = Date(last), ["Next"] = Date(firing.Next), ["LastUpdated"] = Date(firing.LastUpdated ?? last) }
            : null;
        var info = new JsonObject { ["Schedule"] = new JsonObject { ["AdjustForDST"] = true }, ["ScheduleStatus"] = status, ["IsPastDue"] = firing.IsPastDue };
        var request = new InvocationRequest { InvocationId = invocationId, FunctionId = function.Id, TraceContext = new RpcTraceContext() };
        request.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { Json = info.ToJsonString() } });
        request.TriggerMetadata["TimerTrigger"] = new TypedData { String = Date(firing.LastUpdated ?? firing.Last ?? firing.Next) };
        return request;
    }

    private static string Date(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);
}
