using System.Net;
using System.Text;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Tests.Webhooks;

/// <summary><c>POST /hooks/{provider}</c>: only signed events inside the tolerance are accepted, each stored and queued once.</summary>
public sealed class WebhookReceiveTests(WebhookAppFixture app) : IClassFixture<WebhookAppFixture>
{
    [Fact]
    public async Task SignedStripeEvent_IsAcceptedStoredAndAppliedOnce()
    {
        using var client = app.CreateClient();
        var body = WebhookAppFixture.StripeEvent("evt_accept_1");

        using var response = await client.SendAsync(app.StripeDelivery(body));
        var receipt = await response.ReadObjectAsync();
        var queued = await app.WebhookStore.GetAsync("stripe", "evt_accept_1", default);
        await app.DrainAsync();
        var applied = await app.WebhookStore.GetAsync("stripe", "evt_accept_1", default);
        using var stored = await client.GetAsync(new Uri("/ops/hooks/stripe/evt_accept_1/body", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(receipt["received"]!.GetValue<bool>());
        Assert.False(receipt["duplicate"]!.GetValue<bool>());
        Assert.Equal(WebhookStates.Enqueued, queued!.Record.State);
        Assert.Equal("invoice.paid", queued.Record.EventType);
        Assert.Null(queued.Record.Note);
        Assert.Equal(WebhookInbox.Digest(body), queued.Record.BodyDigest);
        Assert.Equal(WebhookStates.Applied, applied!.Record.State);
        Assert.Equal(1, app.Handler.Calls("evt_accept_1"));
        Assert.Equal(body, app.Handler.Applied("evt_accept_1")!.Body.ToArray());
        Assert.Equal(body, await stored.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task StripeEventOfAnotherApiVersion_IsAcceptedAndNoted()
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_version_1", apiVersion: "2020-08-27")));
        var record = await app.WebhookStore.GetAsync("stripe", "evt_version_1", default);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("2020-08-27", record!.Record.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SvixSignedResendEvent_IsAccepted_AndUnhandledWithoutAHandler_NotRetried()
    {
        using var client = app.CreateClient();
        await app.DrainAsync(); // what earlier tests left queued

        using var response = await client.SendAsync(app.SvixDelivery("msg_resend_1", WebhookAppFixture.ResendEvent()));
        var invocations = await app.DrainAsync();
        var record = await app.WebhookStore.GetAsync("resend", "msg_resend_1", default);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, invocations);
        Assert.Equal(WebhookStates.Unhandled, record!.Record.State);
        Assert.Equal("email.bounced", record.Record.EventType);
    }

    public static TheoryData<string> Refusals => ["forged", "stale", "future", "truncated", "unsigned", "svix-forged", "svix-stale", "svix-unsigned", "svix-missing-id"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task UnverifiedDelivery_IsRefusedWithAProblem_AndNothingIsStored(string kind)
    {
        using var client = app.CreateClient();
        var id = "evt_refused_" + kind.Replace('-', '_');
        var body = kind.StartsWith("svix", StringComparison.Ordinal) ? WebhookAppFixture.ResendEvent() : WebhookAppFixture.StripeEvent(id);
        var now = app.Clock.GetUtcNow();
        using var request = kind switch
        {
            "forged" => app.StripeDelivery(body, secret: "whsec_someone_else"),
            "stale" => app.StripeDelivery(body, signedAt: now.AddSeconds(-301)),
            "future" => app.StripeDelivery(body, signedAt: now.AddSeconds(301)),
            "truncated" => app.StripeDelivery(body, sent: body[..^10]),
            "unsigned" => WebhookAppFixture.Post("stripe", body),
            "svix-forged" => app.SvixDelivery(id, body, secret: "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("not-the-key"))),
            "svix-stale" => app.SvixDelivery(id, body, signedAt: now.AddSeconds(-301)),
            "svix-unsigned" => WebhookAppFixture.Post("resend", body),
            _ => Without(app.SvixDelivery(id, body), "svix-id"),
        };

        using var response = await client.SendAsync(request);
        var problem = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:rtgf:problem:webhook-signature-invalid", problem["type"]!.GetValue<string>());
        Assert.DoesNotContain(WebhookAppFixture.StripeSecret, problem.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookAppFixture.ResendSecret[6..], problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(await app.WebhookStore.GetAsync(kind.StartsWith("svix", StringComparison.Ordinal) ? "resend" : "stripe", id, default));
        Assert.Contains(app.Logs.Entries, e => e.Message.StartsWith("Webhook for ", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains(WebhookAppFixture.StripeSecret, StringComparison.Ordinal) || e.Message.Contains(WebhookAppFixture.ResendSecret[6..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignatureJustInsideTheTolerance_IsAccepted()
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_edge_1"), signedAt: app.Clock.GetUtcNow().AddSeconds(-299)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownProvider_Is404_OversizedBody_Is413()
    {
        using var client = app.CreateClient();

        using var unknown = await client.SendAsync(WebhookAppFixture.Post("paypal", WebhookAppFixture.StripeEvent("evt_x")));
        using var huge = await client.SendAsync(app.StripeDelivery(new byte[(256 * 1024) + 1]));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("urn:rtgf:problem:not-found", (await unknown.ReadObjectAsync())["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal("urn:rtgf:problem:payload-too-large", (await huge.ReadObjectAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task SameEventTwice_IsOneRecord_AppliedOnce_TheSecondADuplicate()
    {
        using var client = app.CreateClient();
        var body = WebhookAppFixture.StripeEvent("evt_twice_1");

        using var first = await client.SendAsync(app.StripeDelivery(body));
        using var second = await client.SendAsync(app.StripeDelivery(body));
        await app.DrainAsync();

        Assert.False((await first.ReadObjectAsync())["duplicate"]!.GetValue<bool>());
        Assert.True((await second.ReadObjectAsync())["duplicate"]!.GetValue<bool>());
        Assert.Equal(1, app.Handler.Calls("evt_twice_1"));
        Assert.Equal(WebhookStates.Applied, (await app.WebhookStore.GetAsync("stripe", "evt_twice_1", default))!.Record.State);
    }

    [Fact]
    public async Task EightConcurrentDeliveriesOfOneEvent_AreOneRecordAndOneApplication()
    {
        using var client = app.CreateClient();
        var body = WebhookAppFixture.StripeEvent("evt_concurrent_1");
        await app.DrainAsync(); // what earlier tests left queued

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await client.SendAsync(app.StripeDelivery(body));
            return (response.StatusCode, Duplicate: (await response.ReadObjectAsync())["duplicate"]!.GetValue<bool>());
        }));
        var invocations = await app.DrainAsync();
        var page = await app.WebhookStore.ListAsync("stripe", null, 200, null, default);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(responses, r => !r.Duplicate);
        Assert.Single(page.Records, r => r.EventId == "evt_concurrent_1");
        Assert.Equal(1, invocations);
        Assert.Equal(1, app.Handler.Calls("evt_concurrent_1"));
    }

    private static HttpRequestMessage Without(HttpRequestMessage request, string header)
    {
        request.Headers.Remove(header);
        return request;
    }
}

/// <summary>A provider without its signing secret answers 503 naming the setting, and stores nothing.</summary>
public sealed class WebhookNotConfiguredTests(UnconfiguredWebhookFixture app) : IClassFixture<UnconfiguredWebhookFixture>
{
    [Theory]
    [InlineData("stripe", "Stripe:WebhookSecret")]
    [InlineData("resend", "Resend:WebhookSecret")]
    public async Task ProviderWithoutASecret_Is503NamingTheSetting(string provider, string setting)
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(WebhookAppFixture.Post(provider, WebhookAppFixture.StripeEvent("evt_unconfigured")));
        var problem = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("urn:rtgf:problem:webhook-not-configured", problem["type"]!.GetValue<string>());
        Assert.Contains(setting, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
