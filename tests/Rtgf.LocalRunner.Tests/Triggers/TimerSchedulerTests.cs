using Azure.Storage.Queues;
using Rtgf.CustomHandler.Invocation;
using Rtgf.LocalRunner.Invocation;
using Rtgf.LocalRunner.Triggers;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests.Triggers;

/// <summary>Timers on a manual clock: fire at each occurrence, catch up a missed run once (IsPastDue), keep status.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TimerSchedulerTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Schedule_FiresAtEachOccurrenceWithTheStatusTheHostPasses()
    {
        var time = new ManualTimeProvider(Midnight.AddSeconds(1));
        var handler = new ScriptedHttpHandler().Succeed().Succeed();
        await using var run = await StartAsync(time, handler, useMonitor: true, runOnStartup: false);

        await AdvanceToNextAsync(time, run);
        await Eventually.ProbeAsync(() => Task.FromResult(handler.Requests.Count), n => n == 1, Wait, "the first run");
        await AdvanceToNextAsync(time, run);
        await Eventually.ProbeAsync(() => Task.FromResult(handler.Requests.Count), n => n == 2, Wait, "the second run");

        var timers = handler.Envelopes().Select(e => TimerInfo.From(e.Trigger("timer"))).ToList();
        Assert.All(timers, t => Assert.False(t.IsPastDue));
        Assert.Equal([Midnight.AddMinutes(5), Midnight.AddMinutes(10)], timers.Select(t => t.Last!.Value));
        Assert.Equal([Midnight.AddMinutes(10), Midnight.AddMinutes(15)], timers.Select(t => t.Next!.Value));
        var status = await Eventually.ProbeAsync(() => run.Store.ReadAsync("tick", CancellationToken.None), s => s?.Next == Midnight.AddMinutes(15), Wait, "the saved status");
        Assert.Equal(Midnight.AddMinutes(10), status!.Last);
    }

    [Fact]
    public async Task RunMissedWhileStopped_FiresOnceAtStartAsPastDue()
    {
        var time = new ManualTimeProvider(Midnight.AddMinutes(12));
        var handler = new ScriptedHttpHandler().Succeed();
        var store = await StoreAsync();
        await store.WriteAsync("tick", new TimerStatus(Midnight, Midnight.AddMinutes(5), Midnight), CancellationToken.None);

        await using var run = await StartAsync(time, handler, useMonitor: true, runOnStartup: false, store);
        await Eventually.ProbeAsync(() => Task.FromResult(handler.Requests.Count), n => n == 1, Wait, "the catch-up run");

        Assert.True(TimerInfo.From(Assert.Single(handler.Envelopes()).Trigger("timer")).IsPastDue);
        // The runner records the invocation after the handler answers, so the event can trail the request.
        var invocations = await Eventually.ProbeAsync(() => Task.FromResult(run.Events.OfKind("invocation").ToList()), e => e.Count > 0, Wait, "the invocation event");
        Assert.Equal("true", Assert.Single(invocations)["pastDue"]!.ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task RunOnStartup_FiresAtOnce_AndWithoutMonitorHasNoStatus()
    {
        var time = new ManualTimeProvider(Midnight.AddMinutes(1));
        var handler = new ScriptedHttpHandler().Succeed();

        await using var run = await StartAsync(time, handler, useMonitor: false, runOnStartup: true);
        await Eventually.ProbeAsync(() => Task.FromResult(handler.Requests.Count), n => n == 1, Wait, "the start-up run");

        var timer = TimerInfo.From(Assert.Single(handler.Envelopes()).Trigger("timer"));
        Assert.False(timer.IsPastDue);
        Assert.Null(timer.Next);
        Assert.Null(await run.Store.ReadAsync("tick", CancellationToken.None));
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

    private async Task<TimerRun> StartAsync(ManualTimeProvider time, ScriptedHttpHandler handler, bool useMonitor, bool runOnStartup, TimerStatusStore? store = null)
    {
        store ??= await StoreAsync();
        var events = new EventLog();
        var runner = events.Runner(time);
        var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var queues = new LocalQueues(azurite.QueueService(new QueueClientOptions()));
        var invoker = new FunctionInvoker(new HandlerClient(http, time), new OutputBindings(queues, new LocalSettings("test", new Dictionary<string, string>(), null), runner), runner, time);
        var function = ScriptedHandler.Function("tick", $$"""{"type":"timerTrigger","direction":"in","name":"timer","schedule":"0 */5 * * * *","useMonitor":{{(useMonitor ? "true" : "false")}},"runOnStartup":{{(runOnStartup ? "true" : "false")}}}""");
        var scheduler = new TimerScheduler(function, Rtgf.Pipeline.Scheduling.TimerSchedule.Parse("0 */5 * * * *"), store, invoker, runner);
        var stop = new CancellationTokenSource();
        return new TimerRun(scheduler.RunAsync(stop.Token), stop, http, store, events);
    }

    private sealed record TimerRun(Task Running, CancellationTokenSource Stop, HttpClient Http, TimerStatusStore Store, EventLog Events) : IAsyncDisposable
    {
        public int Advanced { get; set; }

        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Running.WaitAsync(TimeSpan.FromSeconds(30));
            Stop.Dispose();
            Http.Dispose();
        }
    }
}
