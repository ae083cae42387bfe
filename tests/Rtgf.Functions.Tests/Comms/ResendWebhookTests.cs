using System.Net;
using System.Text;
using Rtgf.Azure.Comms;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Tests.Comms;

/// <summary>
/// Resend's delivery and bounce webhooks end to end: Svix-signed bodies posted to <c>/hooks/resend</c> on the real app,
/// dispatched by the bus to the app's Resend handler: delivery status per email in any order, suppression on a hard
/// bounce or complaint (and then no email to that address), idempotent under duplicates and replays.
/// </summary>
public sealed class ResendWebhookTests(CommsAppFixture app) : IClassFixture<CommsAppFixture>
{
    [Theory]
    [InlineData("email.delivered email.sent email.delivered email.delivery_delayed")]
    [InlineData("email.sent email.delivery_delayed email.delivered")]
    [InlineData("email.delivery_delayed email.delivered email.sent email.sent")]
    [InlineData("email.sent email.delivered email.delivery_delayed")]
    [InlineData("email.delivery_delayed email.sent email.delivered email.delivery_delayed")]
    public async Task EventsInAnyOrder_AndDuplicates_EndInTheFurthestStatus(string order)
    {
        // One email per order: each ends in the same status whatever order (and duplicates) its events came in.
        var emailId = "e-order-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(order)))[..12];
        using var client = app.CreateClient();
        var types = order.Split(' ');
        for (var i = 0; i < types.Length; i++)
        {
            using var response = await client.SendAsync(app.SvixDelivery($"msg_{emailId}_{i}", Event(types[i], emailId, "order@example.org")));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await app.DrainAsync();
        var delivery = await app.CommsStore.GetDeliveryAsync(emailId, default);
        var record = (await app.WebhookStore.GetAsync("resend", $"msg_{emailId}_0", default))!.Record;

        Assert.Equal("email.delivered", delivery!.Status);
        Assert.Equal(["email.delivered", "email.delivery_delayed", "email.sent"], delivery.Events);
        Assert.Equal(WebhookStates.Applied, record.State);
        Assert.False(await app.CommsStore.IsSuppressedAsync("order@example.org", default)); // delivered is not a reason
    }

    [Fact]
    public async Task HardBounce_SuppressesTheAddress_SoTheNextEmailIsNotSent_AndAReplayChangesNothing()
    {
        using var client = app.CreateClient();
        using var bounced = await client.SendAsync(app.SvixDelivery("msg_bounce_1", Event("email.bounced", "e-bounce", "Hard Bouncer <Hard.Bouncer@example.org>", bounceType: "Permanent")));
        await app.DrainAsync();
        using var replay = await client.PostAsync(new Uri("/ops/hooks/resend/msg_bounce_1/replay", UriKind.Relative), null);
        await app.DrainAsync();

        await app.Outbox.EnqueueAsync(CommsAppFixture.Email("hard.bouncer@example.org", "test:after-bounce"));
        await app.DrainCommsAsync();
        var record = (await app.CommsStore.GetSendAsync("test:after-bounce", default))!.Value.Record;
        var delivery = await app.CommsStore.GetDeliveryAsync("e-bounce", default);

        Assert.Equal(HttpStatusCode.OK, bounced.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True(await app.CommsStore.IsSuppressedAsync("hard.bouncer@example.org", default));
        Assert.Equal("email.bounced", delivery!.Status);
        Assert.Equal(CommsSendStates.Suppressed, record.State);
        Assert.Empty(await app.EmailsToAsync("hard.bouncer@example.org"));
    }

    [Fact]
    public async Task Complaint_Suppresses_ButATransientBounce_DoesNot()
    {
        using var client = app.CreateClient();
        using var complained = await client.SendAsync(app.SvixDelivery("msg_complaint_1", Event("email.complained", "e-complaint", "angry@example.org")));
        using var soft = await client.SendAsync(app.SvixDelivery("msg_soft_1", Event("email.bounced", "e-soft", "full-mailbox@example.org", bounceType: "Transient")));
        await app.DrainAsync();

        Assert.True(await app.CommsStore.IsSuppressedAsync("angry@example.org", default));
        Assert.False(await app.CommsStore.IsSuppressedAsync("full-mailbox@example.org", default));
        Assert.Equal("email.bounced", (await app.CommsStore.GetDeliveryAsync("e-soft", default))!.Status);
    }

    [Fact]
    public async Task OtherEventsAndBodiesWithoutAnEmailId_AreAppliedAsNothing_NotRetried()
    {
        using var client = app.CreateClient();
        using var opened = await client.SendAsync(app.SvixDelivery("msg_opened_1", Event("email.opened", "e-opened", "reader@example.org")));
        using var noId = await client.SendAsync(app.SvixDelivery("msg_noid_1", Encoding.UTF8.GetBytes("""{"type":"email.bounced","created_at":"2026-12-05T09:00:00.000Z","data":{"to":["x@example.org"]}}""")));
        await app.DrainAsync();

        Assert.Equal(WebhookStates.Applied, (await app.WebhookStore.GetAsync("resend", "msg_opened_1", default))!.Record.State);
        Assert.Equal(WebhookStates.Applied, (await app.WebhookStore.GetAsync("resend", "msg_noid_1", default))!.Record.State);
        Assert.Null(await app.CommsStore.GetDeliveryAsync("e-opened", default));
        Assert.False(await app.CommsStore.IsSuppressedAsync("x@example.org", default));
    }

    /// <summary>A Resend email event as Resend sends it (docs/research/comms.md).</summary>
    private static byte[] Event(string type, string emailId, string to, string? bounceType = null)
    {
        var bounce = bounceType is null ? string.Empty
            : ",\"bounce\":{\"message\":\"The recipient's mail server rejected the email.\",\"subType\":\"General\",\"type\":\"" + bounceType + "\"}";
        return Encoding.UTF8.GetBytes(
            "{\"type\":\"" + type + "\",\"created_at\":\"2026-12-05T09:00:00.000Z\",\"data\":{\"created_at\":\"2026-12-05T08:59:58.000Z\",\"email_id\":\""
            + emailId + "\",\"from\":\"RTGF <noreply@rtgf.test>\",\"to\":[\"" + to + "\"],\"subject\":\"RTGF delivery check\"" + bounce + "}}");
    }
}
