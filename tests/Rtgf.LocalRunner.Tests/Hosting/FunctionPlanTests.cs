using Rtgf.CustomHandler.Metadata;
using Rtgf.LocalRunner.Hosting;

namespace Rtgf.LocalRunner.Tests.Hosting;

/// <summary>Functions the host would not load are reported and left out, as the host leaves them out.</summary>
public sealed class FunctionPlanTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rtgf-plan-").FullName;

    [Fact]
    public void Plan_ResolvesSchedulesAndQueuesAndAddsDeadLetterQueues()
    {
        Function("tick", """{"type":"timerTrigger","direction":"in","name":"timer","schedule":"%S%"}""", """{"type":"serviceBus","direction":"out","name":"work","queueName":"%Q%"}""");
        Function("relay", """{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"%Q%"}""");
        Function("copy", """{"type":"queueTrigger","direction":"in","name":"message","queueName":"in-q"}""");
        var (plan, events) = Plan(new() { ["S"] = "*/5 * * * * *", ["Q"] = "work" });

        Assert.Equal("*/5 * * * * *", Assert.Single(plan.Timers).Schedule.Expression);
        Assert.Equal(["copy", "relay"], plan.QueueTriggers.Select(t => t.Function.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["in-q", "in-q-poison", "work", "work-deadletter"], plan.Queues);
        Assert.All(events.OfKind("function"), e => Assert.Equal("enabled", (string?)e["status"]));
    }

    [Theory]
    [InlineData("0 0 2 * * MON")]
    [InlineData("0 30 9 * JAN-MAR MON-FRI")]
    [InlineData("00:05:00")] // the host's TimeSpan form
    public void Plan_AcceptsEachScheduleFormTheHostAccepts(string schedule)
    {
        Function("tick", """{"type":"timerTrigger","direction":"in","name":"timer","schedule":"%TICK_SCHEDULE%"}""");

        var (plan, events) = Plan(new() { ["TICK_SCHEDULE"] = schedule });

        Assert.Equal(schedule, Assert.Single(plan.Timers).Schedule.Expression);
        Assert.Equal("enabled", (string?)Assert.Single(events.OfKind("function"))["status"]);
    }

    [Fact]
    public void Plan_AScheduleTheHostRefuses_IsDisabledNamingTheSettingAndTheSchedule()
    {
        Function("tick", """{"type":"timerTrigger","direction":"in","name":"timer","schedule":"%TICK_SCHEDULE%"}""");

        var (plan, events) = Plan(new() { ["TICK_SCHEDULE"] = "0 0 2 * * 7" });

        Assert.Empty(plan.Timers);
        var disabled = Assert.Single(events.OfKind("function"));
        Assert.Equal("disabled", (string?)disabled["status"]);
        Assert.StartsWith("%TICK_SCHEDULE%: '0 0 2 * * 7' is not a valid timer schedule: ", (string?)disabled["reason"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"timerTrigger","direction":"in","name":"timer","schedule":"%UNSET%"}""", "not set")]
    [InlineData("""{"type":"timerTrigger","direction":"in","name":"timer","schedule":"every day"}""", "NCRONTAB")]
    [InlineData("""{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"Bad_Name"}""", "queue name")]
    [InlineData("""{"type":"httpTrigger","direction":"in","name":"req","route":"admin/x"}""", "built-in routes")]
    [InlineData("""{"type":"blobTrigger","direction":"in","name":"blob","path":"c/{name}"}""", "not supported")]
    public void FunctionTheHostWouldNotLoad_IsDisabledWithTheReason(string trigger, string reason)
    {
        Function("broken", trigger);

        var (plan, events) = Plan([]);

        Assert.Empty(plan.Timers);
        Assert.Empty(plan.QueueTriggers);
        var disabled = Assert.Single(events.OfKind("function"));
        Assert.Equal("disabled", (string?)disabled["status"]);
        Assert.Contains(reason, (string?)disabled["reason"], StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Function(string name, params string[] bindings)
    {
        Directory.CreateDirectory(Path.Combine(_root, name));
        File.WriteAllText(Path.Combine(_root, name, "function.json"), $"{{\"bindings\":[{string.Join(',', bindings)}]}}");
    }

    private (FunctionPlan Plan, EventLog Events) Plan(Dictionary<string, string> values)
    {
        File.WriteAllText(Path.Combine(_root, "host.json"), """{"version":"2.0","customHandler":{"description":{"defaultExecutablePath":"App"}}}""");
        var events = new EventLog();
        var settings = new LocalSettings("test", values, null);
        return (FunctionPlan.Create(ScriptRoot.Load(_root), settings, events.Runner(new Rtgf.Testing.ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero)))), events);
    }
}
