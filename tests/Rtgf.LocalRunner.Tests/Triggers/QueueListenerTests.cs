using Azure.Storage.Queues;
using Rtgf.CustomHandler.Invocation;
using Rtgf.LocalRunner.Invocation;
using Rtgf.LocalRunner.Triggers;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests.Triggers;

/// <summary>Queue delivery against Azurite: complete on success, redeliver on failure, dead-letter after the maximum.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueueListenerTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Success_CompletesTheMessageAndSendsTheOutputs()
    {
        var (input, output) = (azurite.UniqueName("in"), azurite.UniqueName("out"));
        var handler = new ScriptedHttpHandler().Succeed("""{"done":[{"n":1,"ok":true},{"n":2,"ok":true}]}""");
        await using var run = await StartAsync(input, handler, maxDeliveries: 3, ("OUT", output), """{"type":"serviceBus","direction":"out","name":"done","queueName":"%OUT%"}""");
        await run.Queues.Get(input).SendMessageAsync("{\"n\":1}");

        var sent = await Eventually.ProbeAsync(async () => (await run.Queues.Get(output).PeekMessagesAsync(32)).Value, m => m.Length == 2, Wait, "two output messages");

        Assert.Equal(1, System.Text.Json.Nodes.JsonNode.Parse(sent[0].MessageText)!["n"]!.GetValue<int>());
        var envelope = Assert.Single(handler.Envelopes());
        Assert.Equal("{\"n\":1}", TriggerMessage.From(envelope.Trigger("message"), envelope.Metadata, isServiceBus: true).Body);
        await Eventually.ProbeAsync(async () => (await run.Queues.Get(input).GetPropertiesAsync()).Value.ApproximateMessagesCount, c => c == 0, Wait, "the input message to be completed");
    }

    [Fact]
    public async Task PersistentFailure_IsDeliveredMaxTimesThenDeadLetteredUnchanged()
    {
        var input = azurite.UniqueName("poison");
        var handler = new ScriptedHttpHandler().Fail().Fail().Fail();
        await using var run = await StartAsync(input, handler, maxDeliveries: 3);
        await run.Queues.Get(input).SendMessageAsync("{\"bad\":true}");

        // The event is the listener's last step (after sending the dead letter and deleting the original), so wait for it.
        var deadLetter = await run.Events.WaitForAsync(e => (string?)e["event"] == "dead-letter", Wait, "the dead-letter event");

        Assert.Equal("MaxDeliveryCountExceeded", (string?)deadLetter["reason"]);
        Assert.Single(run.Events.OfKind("dead-letter"));
        var dead = Assert.Single((await run.Queues.Get(LocalQueues.DeadLetterQueue(input)).PeekMessagesAsync()).Value);
        Assert.Equal("{\"bad\":true}", dead.MessageText);
        Assert.Equal(["1", "2", "3"], handler.Requests.Select(r => r.Json()["Metadata"]!["DeliveryCount"]!.GetValue<string>()));
        Assert.Equal(0, (await run.Queues.Get(input).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task TransientFailure_IsRedeliveredWithTheNextDeliveryCountAndThenCompleted()
    {
        var input = azurite.UniqueName("flaky");
        var handler = new ScriptedHttpHandler().Fail().Succeed();
        await using var run = await StartAsync(input, handler, maxDeliveries: 5);
        await run.Queues.Get(input).SendMessageAsync("{\"retry\":true}");

        await Eventually.ProbeAsync(() => Task.FromResult(run.Events.OfKind("invocation").Count(e => (string?)e["outcome"] == "succeeded")), n => n == 1, Wait, "the second delivery to succeed");

        var deliveries = handler.Envelopes().Select(e => TriggerMessage.From(e.Trigger("message"), e.Metadata, isServiceBus: true).DeliveryCount).ToList();
        Assert.Equal([1, 2], deliveries);
        await Eventually.ProbeAsync(async () => (await run.Queues.Get(input).GetPropertiesAsync()).Value.ApproximateMessagesCount, c => c == 0, Wait, "the message to be completed");
        Assert.Empty(run.Events.OfKind("dead-letter"));
    }

    private async Task<ListenerRun> StartAsync(string input, ScriptedHttpHandler handler, int maxDeliveries, (string Name, string Value)? setting = null, string? output = null)
    {
        var events = new EventLog();
        var time = Eventually.RealTime;
        var queues = new LocalQueues(azurite.QueueService(AzuriteFixture.FastRetries(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 })));
        var values = setting is { } s ? new Dictionary<string, string> { [s.Name] = s.Value } : [];
        await queues.CreateAsync([input, LocalQueues.DeadLetterQueue(input), .. values.Values], CancellationToken.None);
        var runner = events.Runner(time);
        var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var invoker = new FunctionInvoker(new HandlerClient(http, time), new OutputBindings(queues, new LocalSettings("test", values, null), runner), runner, time);
        var bindings = new List<string> { $$"""{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{input}}"}""" };
        if (output is not null)
        {
            bindings.Add(output);
        }

        var function = ScriptedHandler.Function("listener-test", [.. bindings]);
        var options = new QueueListenerOptions(true, maxDeliveries, 1, TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200));
        var listener = new QueueListener(function, queues.Get(input), queues.Get(LocalQueues.DeadLetterQueue(input)), options, invoker, runner);
        var stop = new CancellationTokenSource();
        return new ListenerRun(listener.RunAsync(stop.Token), stop, http, queues, events);
    }

    private sealed record ListenerRun(Task Running, CancellationTokenSource Stop, HttpClient Http, LocalQueues Queues, EventLog Events) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Running.WaitAsync(TimeSpan.FromSeconds(30));
            Stop.Dispose();
            Http.Dispose();
        }
    }
}
