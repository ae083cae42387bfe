using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rtgf.Testing;
using Stripe;
using Stripe.Checkout;

namespace Rtgf.StripeStandIn.Tests;

public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task WithAWebhookUrl_EveryEventIsPostedInOrder_Signed_AndANon2xxIsRetried()
    {
        // A receiver that refuses the first try of everything, and verifies each delivery with Stripe.net.
        var received = new List<(string Id, int Status)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var receiver = builder.Build();
        var stand = new StripeStandInFixture();
        receiver.MapPost("/hooks/stripe", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            var stripeEvent = EventUtility.ConstructEvent(body, request.Headers["Stripe-Signature"].ToString(), stand.WebhookSecret, 300, stand.Clock.GetUtcNow().ToUnixTimeSeconds());
            lock (received)
            {
                var status = seen.Add(stripeEvent.Id) ? 503 : 200;
                received.Add((stripeEvent.Id, status));
                return Results.StatusCode(status);
            }
        });
        await receiver.StartAsync();
        var hook = new Uri(new Uri(receiver.Urls.Single()), "/hooks/stripe");
        await stand.StartAsync(new StripeStandInOptions { TimeProvider = stand.Clock, WebhookUrl = hook, WebhookRetryDelay = TimeSpan.Zero });
        try
        {
            var session = await new SessionService(Stand.Client(stand)).CreateAsync(Stand.Checkout());
            await stand.Admin.CompleteCheckoutSessionAsync(session.Id);
            var events = await stand.Admin.EventsAsync();

            var deliveries = await Eventually.ProbeAsync(() => Task.FromResult(stand.Server.Deliveries), d => d.Count(x => x.Delivered) == events.Count, TimeSpan.FromSeconds(30), "every event delivered");

            Assert.Equal(events.Select(e => (string?)e["id"]), deliveries.Where(d => d.Delivered).Select(d => d.EventId));
            Assert.All(deliveries.Where(d => d.Delivered), d => Assert.Equal(2, d.Attempt));
            Assert.All(events, e => Assert.Equal(1, (int)e["pending_webhooks"]!));
            lock (received)
            {
                Assert.Equal(events.SelectMany(e => new[] { ((string)e["id"]!, 503), ((string)e["id"]!, 200) }), received);
            }
        }
        finally
        {
            await stand.DisposeAsync();
        }
    }
}
