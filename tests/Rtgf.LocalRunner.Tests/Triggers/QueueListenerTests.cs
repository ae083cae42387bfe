using Azure.Storage.Queues;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Rpc;
using Rtgf.LocalRunner.Hosting;
using Rtgf.LocalRunner.Invocation;
using Rtgf.LocalRunner.Triggers;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests.Triggers;

/// <summary>
/// The queue listener with the test worker's RunnerRelay function (its real bindings) and a scripted worker, on Azurite:
/// whatever goes wrong with one message or one receive, the listener keeps going.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueueListenerTests(AzuriteFixture azurite, TestWorkerFunctions functions) : IClassFixture<TestWorkerFunctions>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task MessageThatIsNotBase64_MovesUnchangedToThePoisonQueue_AndTheListenerGoesOn()
    {
        await using var run = await StartAsync((request, _) => Task.FromResult(Succeeded(request)));
        var raw = azurite.QueueService(AzuriteFixture.FastRetries(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None }));
        await raw.GetQueueClient(run.Queue.Name).SendMessageAsync("not base64 {!}");

        var poisoned = await run.Events.WaitForAsync(e => (string?)e["event"] == "poison", Wait, "the undecodable message to be poisoned");
        Assert.Equal(run.Queue.Name + "-poison", (string?)poisoned["poisonQueue"]);
        var dead = Assert.Single((await raw.GetQueueClient(run.Queue.Name + "-poison").PeekMessagesAsync(32)).Value);
        Assert.Equal("not base64 {!}", dead.Body.ToString());

        await run.Queue.SendMessageAsync("after");
        var invoked = await run.Events.WaitForAsync(e => (string?)e["event"] == "invocation", Wait, "the next message to run");
        Assert.Equal("succeeded", (string?)invoked["outcome"]);
        Assert.Empty(run.Events.OfKind("warning"));
    }

    [Fact]
    public async Task InvocationThatThrowsInTheRunner_FailsThatDelivery_AndTheMessageIsDeliveredAgain()
    {
        var calls = 0;
        await using var run = await StartAsync((request, _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("the channel broke")
            : Task.FromResult(Succeeded(request)));
        await run.Queue.SendMessageAsync("m1");

        var second = await run.Events.WaitForAsync(e => (string?)e["event"] == "invocation" && (string?)e["outcome"] == "succeeded", Wait, "the second delivery to succeed");
        Assert.Equal(2, (int?)second["dequeueCount"]);
        var first = run.Events.OfKind("invocation").First();
        Assert.Equal(("failed", 1), ((string?)first["outcome"], (int?)first["dequeueCount"] ?? 0));
        Assert.Contains("the channel broke", (string?)first["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerGone_ReleasesTheMessageAtOnce_NotAfterTheFailureVisibilityTimeout()
    {
        var calls = 0;
        await using var run = await StartAsync(
            (request, _) => Interlocked.Increment(ref calls) == 1
                ? throw new WorkerUnavailableException($"invocation {request.InvocationId} was not sent.")
                : Task.FromResult(Succeeded(request)),
            failedVisibility: TimeSpan.FromHours(1));
        await run.Queue.SendMessageAsync("m1");

        // A failure would hide it for an hour: the worker never saw it, so it is not a failed delivery.
        var succeeded = await run.Events.WaitForAsync(e => (string?)e["event"] == "invocation" && (string?)e["outcome"] == "succeeded", Wait, "the next delivery");
        Assert.Equal(2, (int?)succeeded["dequeueCount"]);
        Assert.True((bool?)run.Events.OfKind("invocation").First()["undelivered"]);
    }

    [Fact]
    public async Task EnsureAsync_ACancelledFirstCaller_DoesNotKeepTheQueueFromBeingCreated()
    {
        var queues = Queues(azurite.UniqueName("ensure"));
        var queue = queues.Queue(functions["RunnerRelay"].Trigger);
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        // The first caller (an admin client that went away) may or may not see its cancellation; the queue is created either way.
        try
        {
            await queues.EnsureAsync(queue, gone.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await queues.EnsureAsync(queue, CancellationToken.None);

        Assert.True((await queue.ExistsAsync()).Value);
    }

    private static InvocationResult Succeeded(InvocationRequest request) =>
        new(request.InvocationId, StatusResult.Types.Status.Success, null, null, []);

    private StorageQueues Queues(string queueName, RunnerEvents? events = null) =>
        new(new LocalSettings("test", new Dictionary<string, string> { ["RUNNER_IN_QUEUE"] = queueName, ["RtgfStorage"] = azurite.ConnectionString }, null), base64: true, events);

    private async Task<ListenerRun> StartAsync(InvokeWorker worker, TimeSpan failedVisibility = default)
    {
        var events = new EventLog();
        var runnerEvents = events.Runner(Eventually.RealTime);
        var queues = Queues(azurite.UniqueName("listen"), runnerEvents);
        var function = functions["RunnerRelay"];
        var queue = queues.Queue(function.Trigger);
        await queues.EnsureAsync(queue, CancellationToken.None);
        var settings = new QueueSettings(4, null, 3, failedVisibility, TimeSpan.FromMilliseconds(200), true);
        var runner = new FunctionRunner(worker, queues, runnerEvents, Eventually.RealTime);
        var listener = new QueueListener(function, queue, queues.Queue(function.Trigger, QueueListener.PoisonQueueName(queue.Name)), settings, runner, runnerEvents);
        var stop = new CancellationTokenSource();
        return new ListenerRun(listener.RunAsync(stop.Token), stop, queue, events);
    }

    private sealed record ListenerRun(Task Running, CancellationTokenSource Stop, QueueClient Queue, EventLog Events) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Running.WaitAsync(Wait);
            Stop.Dispose();
        }
    }
}
