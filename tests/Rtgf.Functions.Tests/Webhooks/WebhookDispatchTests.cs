using System.Net;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Tests.Webhooks;

/// <summary>
/// The <c>webhooks</c> queue function and the operator routes: retries then poison, replays, and the crash points between
/// stored, queued and applied. Nothing accepted is lost: every event ends applied or visibly poisoned.
/// </summary>
public sealed class WebhookDispatchTests(WebhookAppFixture app) : IClassFixture<WebhookAppFixture>
{
    [Fact]
    public async Task FailingHandler_IsRetriedThenPoisoned_AndListedWithItsLastError()
    {
        using var client = app.CreateClient();
        app.Handler.FailNext("evt_poison_1", int.MaxValue);
        await app.DrainAsync(); // what earlier tests left queued
        var poisonBefore = await app.PoisonCountAsync();

        using var response = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_poison_1")));
        var invocations = await app.DrainAsync();
        using var listed = await client.GetAsync(new Uri("/ops/hooks?provider=stripe&state=poisoned&limit=200", UriKind.Relative));
        var list = await listed.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(WebhookAppFixture.MaxDequeueCount, invocations);
        Assert.Equal(WebhookAppFixture.MaxDequeueCount, app.Handler.Calls("evt_poison_1"));
        Assert.Equal(poisonBefore + 1, await app.PoisonCountAsync());
        var poisoned = Assert.Single(list["webhooks"]!.AsArray(), w => w!["eventId"]!.GetValue<string>() == "evt_poison_1")!;
        Assert.Equal("poisoned", poisoned["state"]!.GetValue<string>());
        Assert.Equal(WebhookAppFixture.MaxDequeueCount, poisoned["tries"]!.GetValue<int>());
        Assert.Equal("InvalidOperationException: test handler refuses evt_poison_1", poisoned["lastError"]!.GetValue<string>());
        Assert.Equal("invoice.paid", poisoned["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task HandlerThatFailsTwice_IsAppliedOnTheThirdTry()
    {
        using var client = app.CreateClient();
        app.Handler.FailNext("evt_flaky_1", 2);
        await app.DrainAsync(); // what earlier tests left queued

        using var response = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_flaky_1")));
        var invocations = await app.DrainAsync();
        var record = (await app.WebhookStore.GetAsync("stripe", "evt_flaky_1", default))!.Record;

        Assert.Equal(3, invocations);
        Assert.Equal(WebhookStates.Applied, record.State);
        Assert.Equal(3, record.Tries);
        Assert.NotNull(app.Handler.Applied("evt_flaky_1"));
    }

    [Fact]
    public async Task OperatorReplay_CallsTheHandlerAgain_RecordsTheActor_AndAppliesNothingTwice()
    {
        using var client = app.CreateClient();
        using var response = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_replay_1")));
        await app.DrainAsync();
        var first = app.Handler.Applied("evt_replay_1");

        using var replay = await client.PostAsync(new Uri("/ops/hooks/stripe/evt_replay_1/replay", UriKind.Relative), null);
        var view = await replay.ReadObjectAsync();
        await app.DrainAsync();
        using var get = await client.GetAsync(new Uri("/ops/hooks/stripe/evt_replay_1", UriKind.Relative));
        var record = await get.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, view["replays"]!.GetValue<int>());
        Assert.Equal("admin-key", view["lastReplayBy"]!.GetValue<string>());
        Assert.Equal(2, app.Handler.Calls("evt_replay_1"));
        Assert.Same(first, app.Handler.Applied("evt_replay_1")); // the handler's own idempotency: the second call changed nothing
        Assert.Equal("applied", record["state"]!.GetValue<string>());
        Assert.Equal(1, record["replays"]!.GetValue<int>());
        Assert.Equal(WebhookInbox.Digest(WebhookAppFixture.StripeEvent("evt_replay_1")), record["bodyDigest"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReplayOfAPoisonedEvent_AppliesItOnceTheHandlerRecovers()
    {
        using var client = app.CreateClient();
        app.Handler.FailNext("evt_recover_1", WebhookAppFixture.MaxDequeueCount);
        using var response = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_recover_1")));
        await app.DrainAsync();
        var poisoned = (await app.WebhookStore.GetAsync("stripe", "evt_recover_1", default))!.Record;

        using var replay = await client.PostAsync(new Uri("/ops/hooks/stripe/evt_recover_1/replay", UriKind.Relative), null);
        await app.DrainAsync();
        var record = (await app.WebhookStore.GetAsync("stripe", "evt_recover_1", default))!.Record;

        Assert.Equal(WebhookStates.Poisoned, poisoned.State);
        Assert.Equal(WebhookStates.Applied, record.State);
        Assert.NotNull(app.Handler.Applied("evt_recover_1"));
    }

    [Fact]
    public async Task OperatorRoutes_RefuseBadInput_AndAnswer404ForUnknownEvents()
    {
        using var client = app.CreateClient();

        using var badState = await client.GetAsync(new Uri("/ops/hooks?state=lost", UriKind.Relative));
        using var badLimit = await client.GetAsync(new Uri("/ops/hooks?limit=0", UriKind.Relative));
        using var badCursor = await client.GetAsync(new Uri("/ops/hooks?cursor=%25%25", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri("/ops/hooks/stripe/evt_never", UriKind.Relative));
        using var replayUnknown = await client.PostAsync(new Uri("/ops/hooks/stripe/evt_never/replay", UriKind.Relative), null);
        using var badId = await client.GetAsync(new Uri("/ops/hooks/stripe/evt%20bad", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, replayUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
    }

    [Fact]
    public async Task List_PagesThroughEveryRecordOnce()
    {
        using var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            using var r = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent($"evt_page_{i}")));
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            using var page = await client.GetAsync(new Uri("/ops/hooks?provider=stripe&limit=2" + (cursor is null ? "" : "&cursor=" + cursor), UriKind.Relative));
            var body = await page.ReadObjectAsync();
            seen.AddRange(body["webhooks"]!.AsArray().Select(w => w!["eventId"]!.GetValue<string>()));
            cursor = body["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        await app.DrainAsync();

        Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
        Assert.Superset(Enumerable.Range(0, 5).Select(i => $"evt_page_{i}").ToHashSet(StringComparer.Ordinal), seen.ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CrashBeforeTheEnqueue_ALaterDuplicateSendsIt_AndItIsAppliedOnce()
    {
        using var client = app.CreateClient();
        var body = WebhookAppFixture.StripeEvent("evt_crash_send_1");
        await app.DrainAsync(); // what earlier tests left queued
        app.Faults.FailNextSend();

        using var crashed = await client.SendAsync(app.StripeDelivery(body));
        var stuck = (await app.WebhookStore.GetAsync("stripe", "evt_crash_send_1", default))!.Record;
        using var early = await client.SendAsync(app.StripeDelivery(body)); // a retry inside the stuck age: the first may still be sending
        var queuedEarly = await app.DrainAsync();
        app.PassStuckAge();
        using var retried = await client.SendAsync(app.StripeDelivery(body));
        await app.DrainAsync();
        await app.DrainAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, crashed.StatusCode);
        Assert.Equal(WebhookStates.Received, stuck.State);
        Assert.True((await early.ReadObjectAsync())["duplicate"]!.GetValue<bool>());
        Assert.Equal(0, queuedEarly);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(1, app.Handler.Calls("evt_crash_send_1"));
        Assert.Equal(WebhookStates.Applied, (await app.WebhookStore.GetAsync("stripe", "evt_crash_send_1", default))!.Record.State);
    }

    [Fact]
    public async Task CrashBeforeTheEnqueue_WithNoRetry_TheSweepSendsIt_AndItIsAppliedOnce()
    {
        using var client = app.CreateClient();
        await app.DrainAsync(); // what earlier tests left queued
        app.Faults.FailNextSend();

        using var crashed = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_crash_sweep_1")));
        await app.SweepAsync(); // too early: the delivery might still be sending
        var early = await app.DrainAsync();
        app.PassStuckAge();
        await app.SweepAsync();
        await app.SweepAsync(); // a second sweep finds nothing stuck
        await app.DrainAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, crashed.StatusCode);
        Assert.Equal(0, early);
        Assert.Equal(1, app.Handler.Calls("evt_crash_sweep_1"));
        Assert.Equal(WebhookStates.Applied, (await app.WebhookStore.GetAsync("stripe", "evt_crash_sweep_1", default))!.Record.State);
    }

    [Fact]
    public async Task CrashAfterTheInsert_TheProvidersRetryIsADuplicateThatSendsIt_AndItIsAppliedOnce()
    {
        using var client = app.CreateClient();
        var body = WebhookAppFixture.StripeEvent("evt_crash_insert_1");
        app.Faults.FailNextAddAfterWrite();

        using var crashed = await client.SendAsync(app.StripeDelivery(body));
        app.PassStuckAge();
        using var retried = await client.SendAsync(app.StripeDelivery(body));
        await app.DrainAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, crashed.StatusCode);
        Assert.True((await retried.ReadObjectAsync())["duplicate"]!.GetValue<bool>());
        Assert.Equal(1, app.Handler.Calls("evt_crash_insert_1"));
        Assert.Equal(WebhookStates.Applied, (await app.WebhookStore.GetAsync("stripe", "evt_crash_insert_1", default))!.Record.State);
    }

    [Fact]
    public async Task CrashAtTheAppliedSwap_TheMessageIsRetried_TheHandlerRunsAgain_AndTheRecordEndsApplied()
    {
        using var client = app.CreateClient();
        await app.DrainAsync(); // what earlier tests left queued
        using var response = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_crash_cas_1")));
        app.Faults.FailNextReplaces(1);

        var invocations = await app.DrainAsync();
        var first = app.Handler.Applied("evt_crash_cas_1");

        Assert.Equal(2, invocations);
        Assert.Equal(2, app.Handler.Calls("evt_crash_cas_1")); // at least once: the handler's idempotency keeps it applied once
        Assert.NotNull(first);
        Assert.Equal(WebhookStates.Applied, (await app.WebhookStore.GetAsync("stripe", "evt_crash_cas_1", default))!.Record.State);
    }

    [Fact]
    public async Task EveryAcceptedEvent_EndsAppliedOrPoisoned()
    {
        using var client = app.CreateClient();
        app.Handler.FailNext("evt_mix_3", int.MaxValue);
        for (var i = 0; i < 6; i++)
        {
            if (i == 2)
            {
                app.Faults.FailNextSend();
            }

            using var r = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent($"evt_mix_{i}")));
        }

        await app.DrainAsync();
        app.PassStuckAge();
        await app.SweepAsync();
        await app.DrainAsync();

        for (var i = 0; i < 6; i++)
        {
            var record = (await app.WebhookStore.GetAsync("stripe", $"evt_mix_{i}", default))!.Record;
            Assert.Equal(i == 3 ? WebhookStates.Poisoned : WebhookStates.Applied, record.State);
        }
    }
}
