using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Comms;
using Rtgf.Azure.Pipeline.Messages;
using Rtgf.Functions.Tests.Webhooks;
using Rtgf.FunctionsHost.Invocation;
using Rtgf.FunctionsHost.Triggers;
using Rtgf.Pipeline.Comms;
using Rtgf.Pipeline.Messages;
using Rtgf.UpstreamSimulator;

namespace Rtgf.Functions.Tests.Comms;

/// <summary>
/// The real app on Azurite with the webhook bus (both secrets) and comms, its Resend and Cellcast clients pointed at the
/// upstream simulator (which records what it sent) through the real outbound pipeline (retries without delays), the
/// comms table in this fixture's prefix, and the app's own Resend handler on <c>/hooks/resend</c>.
/// <see cref="DrainCommsAsync"/> delivers <c>rtgf-comms</c> to the real <c>comms</c> function as the host does, and
/// <see cref="DrainPoisonAsync"/> runs <c>comms-poison</c> over what it poisoned. A message the app re-enqueues on
/// <c>rtgf-comms</c> with a delay is recorded in <see cref="CommsDelays"/> and made visible at once (Azurite's visibility
/// runs on the real clock), so a drain runs a message's whole retry schedule.
/// </summary>
public sealed class CommsAppFixture : WebhookAppFixture
{
    public const string From = "RTGF <noreply@rtgf.test>";

    private SimulatorServer? _simulator;
    private SimulatorOptions? _options;
    private HttpClient? _sim;

    /// <summary>Every message the app sent to <c>rtgf-comms</c> with a delay: its body and the delay asked for, in order.</summary>
    public ConcurrentQueue<(string Body, TimeSpan Delay)> CommsDelays { get; } = new();

    public SimulatorServer Simulator => _simulator ?? throw new InvalidOperationException("The simulator has not started.");

    /// <summary>The simulator's own API (<c>/_sim/…</c>).</summary>
    public HttpClient Sim => _sim ?? throw new InvalidOperationException("The simulator has not started.");

    /// <summary>The simulator's options, on the app's manual clock (its slow fault never fires by itself).</summary>
    public SimulatorOptions SimulatorOptions => _options ??= new SimulatorOptions { TimeProvider = Clock };

    public CommsOutbox Outbox => Services.GetRequiredService<CommsOutbox>();

    public TableCommsStore CommsStore => Services.GetRequiredService<TableCommsStore>();

    public QueueClient CommsQueue => Azurite.QueueService(new QueueClientOptions { MessageEncoding = StorageQueueSender.Encoding }).GetQueueClient(Prefix + CommsOutbox.Queue);

    public QueueClient CommsPoisonQueue => Azurite.QueueService(new QueueClientOptions { MessageEncoding = StorageQueueSender.Encoding }).GetQueueClient(Prefix + CommsOutbox.Queue + "-poison");

    protected override bool CountsStripeEvents => false; // keeps the app's handlers, Resend's among them

    public override async Task InitializeAsync()
    {
        _simulator = await SimulatorServer.StartAsync(SimulatorOptions);
        _sim = new HttpClient { BaseAddress = _simulator.BaseAddress };
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _sim?.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    protected override void ConfigureStoredServices(IServiceCollection services)
    {
        base.ConfigureStoredServices(services);
        var descriptor = services.Last(d => d.ServiceType == typeof(IDelayedQueueSender));
        services.RemoveAll<IDelayedQueueSender>();
        services.AddSingleton<IDelayedQueueSender>(sp => new ImmediateCommsSender((IDelayedQueueSender)descriptor.ImplementationFactory!(sp), CommsDelays));
    }

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var root = Simulator.BaseAddress.AbsoluteUri;
            return new Dictionary<string, string?>(base.Settings)
            {
                ["Resend:ApiKey"] = SimulatorOptions.ResendApiKey,
                ["Resend:From"] = From,
                ["Resend:ApiBase"] = root,
                ["Resend:RetryDelayMilliseconds"] = "0",
                ["Cellcast:ApiKey"] = SimulatorOptions.CellcastApiKey,
                ["Cellcast:ApiBase"] = root,
                ["Cellcast:RetryDelayMilliseconds"] = "0",
                ["Comms:TablePrefix"] = Prefix,
            };
        }
    }

    /// <summary>Everything the simulator sent: <c>emails</c> and <c>sms</c>.</summary>
    public async Task<JsonObject> SentAsync() => (await Sim.GetFromJsonAsync<JsonObject>("_sim/comms/sent"))!;

    public async Task<IReadOnlyList<JsonObject>> EmailsToAsync(string address) =>
        [.. (await SentAsync())["emails"]!.AsArray().Select(e => e!.AsObject()).Where(e => e["to"]!.AsArray().Any(t => (string?)t == address))];

    public async Task<IReadOnlyList<JsonObject>> SmsToAsync(string number) =>
        [.. (await SentAsync())["sms"]!.AsArray().Select(e => e!.AsObject()).Where(e => (string?)e["to"] == number)];

    /// <summary>Adds a fault rule on the simulator (the next <paramref name="count"/> requests under <paramref name="routePrefix"/>).</summary>
    public async Task FaultAsync(string routePrefix, string mode, int count = 1)
    {
        using var response = await Sim.PostAsJsonAsync("_sim/faults", new JsonObject { ["routePrefix"] = routePrefix, ["mode"] = mode, ["count"] = count, ["retryAfterSeconds"] = 1 });
        response.EnsureSuccessStatusCode();
    }

    public static CommsRequest Email(string to, string key, string reference = "R-1", string name = "Ada") =>
        new(CommsChannel.Email, "delivery-check", to, new Dictionary<string, string> { ["name"] = name, ["reference"] = reference }, key);

    public static CommsRequest Sms(string to, string key, string reference = "R-1") =>
        new(CommsChannel.Sms, "delivery-check", to, new Dictionary<string, string> { ["reference"] = reference }, key);

    /// <summary>
    /// Delivers every message of <c>rtgf-comms</c> to the app's <c>comms</c> function until the queue is empty, as the
    /// host's queue processor does: success deletes; a failure makes the message visible again, and a failure on the
    /// <see cref="WebhookAppFixture.MaxDequeueCount"/>-th delivery moves it to the poison queue. Returns the invocations.
    /// </summary>
    public async Task<int> DrainCommsAsync()
    {
        await CommsQueue.CreateIfNotExistsAsync();
        var invocations = 0;
        while (true)
        {
            var received = (await CommsQueue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5))).Value;
            if (received.Length == 0)
            {
                return invocations;
            }

            await DeliverAsync(received[0]);
            invocations++;
        }
    }

    /// <summary>Delivers one received message to <c>comms</c> and settles it as the host would.</summary>
    public async Task DeliverAsync(global::Azure.Storage.Queues.Models.QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var function = Worker.Channel.Find("comms") ?? throw new InvalidOperationException("The app has no comms function.");
        var text = message.Body.ToString();
        var result = await Worker.Channel.InvokeAsync(QueueInvocation.Create(function, InvocationIds.New(),
            new QueueDelivery(message.MessageId, message.PopReceipt, text, message.DequeueCount, message.InsertedOn, message.ExpiresOn, message.NextVisibleOn)));
        if (result.Succeeded)
        {
            await CommsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
        else if (message.DequeueCount >= MaxDequeueCount)
        {
            await CommsPoisonQueue.CreateIfNotExistsAsync();
            await CommsPoisonQueue.SendMessageAsync(text);
            await CommsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
        else
        {
            await CommsQueue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }
    }

    /// <summary>Runs <c>comms-poison</c> over every poisoned message (each must succeed); returns their bodies.</summary>
    public async Task<IReadOnlyList<string>> DrainPoisonAsync()
    {
        var function = Worker.Channel.Find("comms-poison") ?? throw new InvalidOperationException("The app has no comms-poison function.");
        await CommsPoisonQueue.CreateIfNotExistsAsync();
        var bodies = new List<string>();
        while ((await CommsPoisonQueue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5))).Value is [var message])
        {
            var result = await Worker.Channel.InvokeAsync(QueueInvocation.Create(function, InvocationIds.New(),
                new QueueDelivery(message.MessageId, message.PopReceipt, message.Body.ToString(), message.DequeueCount, message.InsertedOn, message.ExpiresOn, message.NextVisibleOn)));
            Assert.True(result.Succeeded, result.Error);
            await CommsPoisonQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            bodies.Add(message.Body.ToString());
        }

        return bodies;
    }
}

/// <summary>Sends <c>rtgf-comms</c> messages visible at once, recording the delay the app asked for; other queues as asked.</summary>
internal sealed class ImmediateCommsSender(IDelayedQueueSender inner, ConcurrentQueue<(string Body, TimeSpan Delay)> delays) : IDelayedQueueSender
{
    public Task SendAsync(string queueName, string message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        if (queueName != CommsOutbox.Queue || delay == TimeSpan.Zero)
        {
            return inner.SendAsync(queueName, message, delay, cancellationToken);
        }

        delays.Enqueue((message, delay));
        return inner.SendAsync(queueName, message, TimeSpan.Zero, cancellationToken);
    }
}

/// <summary>Bounded waits for work on other threads to reach a point the test can observe (never a timed assertion).</summary>
internal static class CommsWait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 4000; i++)
        {
            if (await condition())
            {
                return;
            }

            Thread.Sleep(5); // the bound is real time; nothing is asserted about how long it took
        }

        throw new TimeoutException($"Gave up waiting until {what}.");
    }
}
