using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Rpc;
using Rtgf.LocalRunner.Invocation;
using Rtgf.LocalRunner.Triggers;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests.Triggers;

/// <summary>
/// Timers on a manual clock, with the test worker's timer functions (their real bindings) and a scripted worker: fire at
/// each occurrence, catch up a missed run once (IsPastDue), keep status.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TimerSchedulerTests(AzuriteFixture azurite, TestWorkerFunctions functions) : IClassFixture<TestWorkerFunctions>
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Schedule_FiresAtEachOccurrenceWithTheStatusTheHostPasses()
    {
        var time = new ManualTimeProvider(Midnight.AddSeconds(1));
        await using var run = await StartAsync(time, "RunnerTick");

        await AdvanceToNextAsync(time, run);
        await Eventually.ProbeAsync(() => Task.FromResult(run.Requests.Count), n => n == 1, Wait, "the first run");
        await AdvanceToNextAsync(time, run);
        await Eventually.ProbeAsync(() => Task.FromResult(run.Requests.Count), n => n == 2, Wait, "the second run");

        var timers = run.Requests.Select(TimerInfo).ToList();
        Assert.All(timers, t => Assert.False((bool)t["IsPastDue"]!));
        Assert.Equal([Midnight.AddMinutes(5), Midnight.AddMinutes(10)], timers.Select(t => t["ScheduleStatus"]!["Last"]!.GetValue<DateTimeOffset>()));
        Assert.Equal([Midnight.AddMinutes(10), Midnight.AddMinutes(15)], timers.Select(t => t["ScheduleStatus"]!["Next"]!.GetValue<DateTimeOffset>()));
        var status = await Eventually.ProbeAsync(() => run.Store.ReadAsync("RunnerTick", CancellationToken.None), s => s?.Next == Midnight.AddMinutes(15), Wait, "the saved status");
        Assert.Equal(Midnight.AddMinutes(10), status!.Last);
    }

    [Fact]
    public async Task RunMissedWhileStopped_FiresOnceAtStartAsPastDue()
    {
        var time = new ManualTimeProvider(Midnight.AddMinutes(12));
        var store = await StoreAsync();
        await store.WriteAsync("RunnerTick", new TimerStatus(Midnight, Midnight.AddMinutes(5), Midnight), CancellationToken.None);

        await using var run = await StartAsync(time, "RunnerTick", store);
        await Eventually.ProbeAsync(() => Task.FromResult(run.Requests.Count), n => n == 1, Wait, "the catch-up run");

        Assert.True((bool)TimerInfo(Assert.Single(run.Requests))["IsPastDue"]!);
        // The runner records the invocation after the worker answers, so the event can trail the request.
        var invocations = await Eventually.ProbeAsync(() => Task.FromResult(run.Events.OfKind("invocation").ToList()), e => e.Count > 0, Wait, "the invocation event");
        Assert.Equal("true", Assert.Single(invocations)["pastDue"]!.ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task RunOnStartup_FiresAtOnce_AndWithoutMonitorHasNoStatus()
    {
        var time = new ManualTimeProvider(Midnight.AddMinutes(1));
        await using var run = await StartAsync(time, "RunnerStartup");
        await Eventually.ProbeAsync(() => Task.FromResult(run.Requests.Count), n => n == 1, Wait, "the start-up run");

        var timer = TimerInfo(Assert.Single(run.Requests));
        Assert.False((bool)timer["IsPastDue"]!);
        Assert.Null(timer["ScheduleStatus"]);
        Assert.Null(await run.Store.ReadAsync("RunnerStartup", CancellationToken.None));
    }

    [Fact]
    public async Task ScheduleMonthsAway_WaitsInPiecesTheDelayAccepts_AndFiresOnTime()
    {
        // The tests' "never in a run" schedule: from February, New Year is 334 days away, beyond Task.Delay's ~49.7 days.
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));
        var newYear = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using var run = await StartAsync(time, "RunnerTick", schedule: "0 0 0 1 1 *");

        await Eventually.ProbeAsync(() => Task.FromResult(time.NextTimerDue), due => due == time.GetUtcNow() + TimerScheduler.MaxWait, Wait, "the first piece of the wait");
        Assert.Equal(newYear, DateTimeOffset.Parse((string)Assert.Single(run.Events.OfKind("scheduled"))["next"]!, System.Globalization.CultureInfo.InvariantCulture));

        // The last piece ends at the occurrence itself, and nothing fires before it.
        time.Advance(newYear - time.GetUtcNow() - TimeSpan.FromMinutes(1));
        await Eventually.ProbeAsync(() => Task.FromResult(time.NextTimerDue), due => due == newYear, Wait, "the last piece of the wait");
        Assert.Empty(run.Requests);

        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.ProbeAsync(() => Task.FromResult(run.Requests.Count), n => n == 1, Wait, "the New Year run");
        Assert.Equal(newYear, TimerInfo(Assert.Single(run.Requests))["ScheduleStatus"]!["Last"]!.GetValue<DateTimeOffset>());
    }

    private static async Task AdvanceToNextAsync(ManualTimeProvider time, TimerRun run)
    {
        // Advance only once the scheduler is waiting on its delay, so the delay sees the jump.
        var scheduled = await Eventually.ProbeAsync(() => Task.FromResult(run.Events.OfKind("scheduled").ToList()), s => s.Count > run.Advanced && time.PendingTimers > 0, Wait, "the scheduler to wait");
        var next = DateTimeOffset.Parse((string)scheduled[run.Advanced]["next"]!, System.Globalization.CultureInfo.InvariantCulture);
        run.Advanced++;
        time.Advance(next - time.GetUtcNow());
    }

    private async Task<TimerStatusStore> StoreAsync()
    {
        var store = new TimerStatusStore(azurite.BlobService().GetBlobContainerClient(TimerStatusStore.ContainerName), azurite.UniqueName("host"));
        await store.CreateAsync(CancellationToken.None);
        return store;
    }

    // The TimerInfo the worker would bind: the trigger parameter's JSON.
    private static JsonNode TimerInfo(InvocationRequest request) => JsonNode.Parse(Assert.Single(request.InputData).Data.Json)!;

    private async Task<TimerRun> StartAsync(ManualTimeProvider time, string functionName, TimerStatusStore? store = null, string schedule = "0 */5 * * * *")
    {
        store ??= await StoreAsync();
        var events = new EventLog();
        var runner = events.Runner(time);
        var requests = new ConcurrentQueue<InvocationRequest>();
        Task<InvocationResult> Worker(InvocationRequest request, CancellationToken cancellationToken)
        {
            requests.Enqueue(request);
            return Task.FromResult(new InvocationResult(request.InvocationId, StatusResult.Types.Status.Success, null, null, []));
        }

        var queues = new StorageQueues(new LocalSettings("test", new Dictionary<string, string>(), null), base64: true);
        var invoker = new FunctionRunner(Worker, queues, runner, time);
        var scheduler = new TimerScheduler(functions[functionName], Rtgf.Pipeline.Scheduling.TimerSchedule.Parse(schedule), store, invoker, runner);
        var stop = new CancellationTokenSource();
        return new TimerRun(scheduler.RunAsync(stop.Token), stop, requests, store, events);
    }

    private sealed record TimerRun(Task Running, CancellationTokenSource Stop, ConcurrentQueue<InvocationRequest> Requests, TimerStatusStore Store, EventLog Events) : IAsyncDisposable
    {
        public int Advanced { get; set; }

        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Running.WaitAsync(TimeSpan.FromSeconds(30));
            Stop.Dispose();
        }
    }
}
