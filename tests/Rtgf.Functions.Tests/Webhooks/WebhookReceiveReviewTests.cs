using System.Net;
using Azure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Functions.Http;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Tests.Webhooks;

/// <summary>Receiving when something of ours is wrong: storage down (503, retry) and a Svix secret not in its form (503, not 400).</summary>
public sealed class WebhookReceiveReviewTests(WebhookReceiveReviewTests.Fixture app) : IClassFixture<WebhookReceiveReviewTests.Fixture>
{
    /// <summary>The bus fixture with a switchable storage outage in front of the body store and a Resend secret that is not <c>whsec_&lt;base64&gt;</c>.</summary>
    public sealed class Fixture : WebhookAppFixture
    {
        public bool StorageDown { get; set; }

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings) { ["Resend:WebhookSecret"] = "whsec_not base64!" };

        protected override void ConfigureStoredServices(IServiceCollection services)
        {
            base.ConfigureStoredServices(services);
            var bodies = services.Single(d => d.ServiceType == typeof(IWebhookBodyStore));
            services.RemoveAll<IWebhookBodyStore>();
            services.AddSingleton<IWebhookBodyStore>(sp => new DownBodyStore((IWebhookBodyStore)bodies.ImplementationFactory!(sp), this));
        }
    }

    [Fact]
    public async Task StorageDown_Is503WithRetryAfter_AndNothingIsAccepted()
    {
        using var client = app.CreateClient();
        app.StorageDown = true;
        using var response = await client.SendAsync(app.StripeDelivery(WebhookAppFixture.StripeEvent("evt_storage_down_1")));
        app.StorageDown = false;
        var problem = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(ProblemTypes.NotReady, problem["type"]!.GetValue<string>());
        Assert.Equal("30", Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.Null(await app.WebhookStore.GetAsync("stripe", "evt_storage_down_1", default));
    }

    [Fact]
    public async Task ASvixSecretNotInItsForm_Is503NotConfigured_NotTheSendersFault()
    {
        using var client = app.CreateClient();
        using var response = await client.SendAsync(app.SvixDelivery("msg_review_1", WebhookAppFixture.ResendEvent()));
        var problem = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(ProblemTypes.WebhookNotConfigured, problem["type"]!.GetValue<string>());
        Assert.Contains("Resend:WebhookSecret", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("not base64", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private sealed class DownBodyStore(IWebhookBodyStore inner, Fixture fixture) : IWebhookBodyStore
    {
        public Task PutAsync(string digest, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
            fixture.StorageDown ? throw new RequestFailedException(503, "The server is busy.") : inner.PutAsync(digest, body, cancellationToken);

        public Task<byte[]?> GetAsync(string digest, CancellationToken cancellationToken) => inner.GetAsync(digest, cancellationToken);
    }
}
