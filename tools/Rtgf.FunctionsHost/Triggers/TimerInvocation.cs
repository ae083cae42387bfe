using System.Globalization;
using System.Text;
using System.Text.Json;
using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Triggers;

/// <summary>
/// One timer occurrence as the function sees it: the schedule status before this firing (<c>Last</c> = the previous
/// occurrence, <c>Next</c> = the one firing now) and whether it fires late. A timer without a monitor
/// (<c>UseMonitor = false</c>) has no schedule status: the host sends <c>ScheduleStatus: null</c>.
/// </summary>
public sealed record TimerFiring(DateTimeOffset? Last, DateTimeOffset Next, DateTimeOffset? LastUpdated, bool IsPastDue, bool Monitored = true);

/// <summary>
/// The <c>InvocationRequest</c> the host sends for a timer trigger (WebJobs <c>TimerTriggerBinding</c>): the trigger
/// binding gets <c>TimerInfo</c> as JSON and the trigger metadata has one entry, <c>TimerTrigger</c>, a time string.
/// </summary>
public static class TimerInvocation
{
    public const string TimerTriggerKey = "TimerTrigger";

    public static InvocationRequest Create(HostedFunction function, string invocationId, TimerFiring firing)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentException.ThrowIfNullOrEmpty(invocationId);
        ArgumentNullException.ThrowIfNull(firing);
        if (!function.IsTimer)
        {
            throw new ArgumentException($"Function '{function.Name}' is not a timer function (its trigger is {function.Trigger.Type}).", nameof(function));
        }

        var request = new InvocationRequest { InvocationId = invocationId, FunctionId = function.Id, TraceContext = new RpcTraceContext() };
        request.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { Json = TimerInfoJson(firing) } });

        // The host sends DateTime.Now.ToString() (local wall clock, current culture) at bind time; we send the occurrence
        // being fired in the invariant culture's form of that format, so a replay sends the same text. Nothing in the
        // worker parses it: it is there for binding expressions ({TimerTrigger}).
        request.TriggerMetadata[TimerTriggerKey] = new TypedData { String = firing.Next.DateTime.ToString(CultureInfo.InvariantCulture) };
        return request;
    }

    /// <summary>
    /// The host's Json.NET form of WebJobs' <c>TimerInfo</c>. The worker's <c>ScheduleStatus</c> has non-nullable
    /// <c>DateTime</c>s, so an unknown time is left out (the worker then sees <c>default</c>, as the host's
    /// <c>default(DateTime)</c> for a timer without a monitor) rather than written as <c>null</c>, which would fail.
    /// </summary>
    private static string TimerInfoJson(TimerFiring firing)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("Schedule");
            json.WriteBoolean("AdjustForDST", true);
            json.WriteEndObject();
            if (firing.Monitored)
            {
                json.WriteStartObject("ScheduleStatus");
                WriteTime(json, "Last", firing.Last);
                WriteTime(json, "Next", firing.Next);
                WriteTime(json, "LastUpdated", firing.LastUpdated);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("ScheduleStatus");
            }

            json.WriteBoolean("IsPastDue", firing.IsPastDue);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            json.WriteString(name, time.ToString("O", CultureInfo.InvariantCulture));
        }
    }
}
