using System.Net;
using System.Text.Json;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.FunctionsHost.Invocation;
using Rtgf.FunctionsHost.Triggers;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Tests.Webhooks;

/// <summary>
/// A record never stays open while its message is in the poison queue, and a running dispatch never overrides what a
/// replay or another dispatch did meanwhile (the two interleavings held open by a gated handler).
/// </summary>
public sealed class WebhookPoisonTests(WebhookPoisonTests.Fixture app) : IClassFixture<WebhookPoisonTests.Fixture>
{
    /// <summary>The bus fixture with the counting handler as the only Stripe handler (billing's is registered by the app too).</summary>
    public sealed class Fixture : WebhookAppFixture
    {
        protected override void ConfigureStoredServices(IServiceCollection services)
        {
            base.ConfigureStoredServices(services);
            foreach (var other in services.Where(d => d.ServiceType == typeof(IWebhookHandler) && d.ImplementationInstance is not CountingWebhookHandler).ToList())
            {
                services.Remove(other);
            }
        }
    }

    [Fact]
    public async Task AMessageInThePoisonQueue_MarksItsOpenRecordPoisoned_AndListsIt()
    {
        using var client = app.CreateClient();
        using var accepted = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_poisonq_1")));
        var before = (await app.WebhookStore.GetAsync("stripe", "evt_poisonq_1", default))!.Record;

        // The worker died on the last delivery: nothing recorded a failure, the host moved the message on.
        await DeliverPoisonAsync(new WebhookMessage("stripe", "evt_poisonq_1"));
        using var listed = await client.GetAsync(new Uri("/ops/hooks?provider=stripe&state=poisoned&limit=200", UriKind.Relative));
        var list = await listed.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(WebhookStates.Enqueued, before.State);
        var poisoned = Assert.Single(list["webhooks"]!.AsArray(), w => w!["eventId"]!.GetValue<string>() == "evt_poisonq_1")!;
        Assert.Equal("poisoned", poisoned["state"]!.GetValue<string>());
        Assert.Contains("poison queue", poisoned["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APoisonedMessageOfAnEarlierRun_LeavesAReplayedRecordAlone()
    {
        using var client = app.CreateClient();
        using var accepted = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_poisonq_2")));
        using var replay = await client.PostAsync(new Uri("/ops/hooks/stripe/evt_poisonq_2/replay", UriKind.Relative), null);

        await DeliverPoisonAsync(new WebhookMessage("stripe", "evt_poisonq_2", Replays: 0));
        var record = (await app.WebhookStore.GetAsync("stripe", "evt_poisonq_2", default))!.Record;

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal((WebhookStates.Enqueued, 1), (record.State, record.Replays));
    }

    [Fact]
    public async Task AMissingBodyOnTheLastDelivery_IsRecordedAndPoisoned()
    {
        var now = app.Clock.GetUtcNow();
        var record = new WebhookRecord("stripe", "evt_nobody_1", "invoice.paid", now, new string('0', 64), 10, WebhookStates.Enqueued, 0, null, now, null, 0, null, null);
        await app.WebhookStore.TryAddAsync(record, default);
        var dispatcher = Dispatcher(new GatedHandler());

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.DispatchAsync(new WebhookMessage("stripe", "evt_nobody_1"), WebhookAppFixture.MaxDequeueCount, default));
        var after = (await app.WebhookStore.GetAsync("stripe", "evt_nobody_1", default))!.Record;

        Assert.Contains("is missing", failure.Message, StringComparison.Ordinal);
        Assert.Equal((WebhookStates.Poisoned, 1), (after.State, after.Tries));
        Assert.StartsWith("InvalidOperationException: The body", after.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReplayDuringARunningDispatch_IsNotOverriddenByItsApplied()
    {
        using var client = app.CreateClient();
        using var accepted = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_overlap_1")));
        var handler = new GatedHandler();
        var running = Dispatcher(handler).DispatchAsync(new WebhookMessage("stripe", "evt_overlap_1"), 1, default);
        await handler.Entered.Task;

        using var replay = await client.PostAsync(new Uri("/ops/hooks/stripe/evt_overlap_1/replay", UriKind.Relative), null);
        handler.Release.SetResult();
        var outcome = await running;
        var record = (await app.WebhookStore.GetAsync("stripe", "evt_overlap_1", default))!.Record;

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(WebhookDispatch.Applied, outcome);
        // The replay's own message is still to run: the record stays open for it, its try counted.
        Assert.Equal((WebhookStates.Enqueued, 1, 1, (DateTimeOffset?)null), (record.State, record.Replays, record.Tries, record.AppliedAt));
    }

    [Fact]
    public async Task ALastTryFailingAfterAnotherDispatchApplied_LeavesItApplied()
    {
        using var client = app.CreateClient();
        using var accepted = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_overlap_2")));
        var failing = new GatedHandler(fail: true);
        var running = Dispatcher(failing).DispatchAsync(new WebhookMessage("stripe", "evt_overlap_2"), WebhookAppFixture.MaxDequeueCount, default);
        await failing.Entered.Task;

        // A second message of the event (a duplicate send) is dispatched and applied meanwhile.
        var applied = await Dispatcher(new GatedHandler(open: true)).DispatchAsync(new WebhookMessage("stripe", "evt_overlap_2"), 1, default);
        failing.Release.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(() => running);
        var record = (await app.WebhookStore.GetAsync("stripe", "evt_overlap_2", default))!.Record;

        Assert.Equal(WebhookDispatch.Applied, applied);
        Assert.Equal(WebhookStates.Applied, record.State);
        Assert.Equal(2, record.Tries);
        Assert.Equal("InvalidOperationException: gated handler refuses evt_overlap_2", record.LastError);
    }

    [Fact]
    public async Task AMessageSentBeforeAReplay_NeverPoisonsTheReplaysRun()
    {
        using var client = app.CreateClient();
        using var accepted = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_overlap_3")));
        using var replay = await client.PostAsync(new Uri("/ops/hooks/stripe/evt_overlap_3/replay", UriKind.Relative), null);

        // The first run's message fails its last delivery after the replay: a failed try, not the replay's poisoning.
        await Assert.ThrowsAsync<InvalidOperationException>(() => Dispatcher(new GatedHandler(fail: true, open: true))
            .DispatchAsync(new WebhookMessage("stripe", "evt_overlap_3", Replays: 0), WebhookAppFixture.MaxDequeueCount, default));
        var record = (await app.WebhookStore.GetAsync("stripe", "evt_overlap_3", default))!.Record;

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal((WebhookStates.Enqueued, 1, 1), (record.State, record.Replays, record.Tries));
    }

    [Fact]
    public async Task ASiblingMessagePoisonedWhileThisOneApplies_EndsApplied()
    {
        using var client = app.CreateClient();
        using var accepted = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_overlap_4")));
        var handler = new GatedHandler();
        var running = Dispatcher(handler).DispatchAsync(new WebhookMessage("stripe", "evt_overlap_4", Replays: 0), 1, default);
        await handler.Entered.Task;

        // A sibling message of the same run (the sweep re-sent it) reached the poison queue meanwhile.
        await DeliverPoisonAsync(new WebhookMessage("stripe", "evt_overlap_4", Replays: 0));
        var poisoned = (await app.WebhookStore.GetAsync("stripe", "evt_overlap_4", default))!.Record;
        handler.Release.SetResult();
        var outcome = await running;
        var record = (await app.WebhookStore.GetAsync("stripe", "evt_overlap_4", default))!.Record;

        Assert.Equal(WebhookStates.Poisoned, poisoned.State);
        Assert.Equal(WebhookDispatch.Applied, outcome);
        Assert.Equal(WebhookStates.Applied, record.State);
    }

    private WebhookDispatcher Dispatcher(IWebhookHandler handler) =>
        new(app.WebhookStore, app.Services.GetRequiredService<IWebhookBodyStore>(), [handler], app.Services.GetRequiredService<WebhookOptions>(), app.Clock);

    /// <summary>Delivers a message to the app's <c>webhooks-poison</c> function as the host does for the poison queue.</summary>
    private async Task DeliverPoisonAsync(WebhookMessage message)
    {
        var function = app.Worker.Channel.Find("webhooks-poison") ?? throw new InvalidOperationException("The app has no webhooks-poison function.");
        var text = JsonSerializer.Serialize(message, WebhookJson.Default.WebhookMessage);
        var now = app.Clock.GetUtcNow();
        var result = await app.Worker.Channel.InvokeAsync(QueueInvocation.Create(function, InvocationIds.New(),
            new QueueDelivery("poison-" + message.EventId, "pop", text, 1, now, now.AddDays(7), now)));
        Assert.True(result.Succeeded, result.Error);
    }

    /// <summary>A stripe handler that waits to be released (unless open), then applies or fails.</summary>
    private sealed class GatedHandler(bool fail = false, bool open = false) : IWebhookHandler
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Provider => StripeSignatureVerifier.Name;

        public async Task HandleAsync(WebhookEvent webhook, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            if (!open)
            {
                await Release.Task;
            }

            if (fail)
            {
                throw new InvalidOperationException("gated handler refuses " + webhook.EventId);
            }
        }
    }
}
