using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Tests.Webhooks;

/// <summary>One handler per provider: a second one for a provider stops the app at startup with a message naming both.</summary>
public sealed class WebhookHandlerCompositionTests
{
    [Fact]
    public async Task ASecondHandlerForAProvider_StopsTheAppAtStartup_NamingBoth()
    {
        var app = new TwoStripeHandlersApp();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(app.InitializeAsync);
        await app.DisposeAsync();

        Assert.Equal(
            "Two webhook handlers for provider 'stripe': StripeWebhookHandler and CountingWebhookHandler. Register one IWebhookHandler per provider (a test replacing a handler removes the app's first).",
            error.Message);
    }

    [Fact]
    public void HandlersOfDifferentProviders_AreKeyedByProvider()
    {
        var stripe = new CountingWebhookHandler();
        var resend = new ResendHandler();

        var handlers = WebhookDispatcher.ByProvider([stripe, resend]);

        Assert.Equal(["resend", "stripe"], handlers.Keys.Order(StringComparer.Ordinal));
        Assert.Same(stripe, handlers["stripe"]);
        Assert.Same(resend, handlers["resend"]);
    }

    private sealed class TwoStripeHandlersApp : FunctionsApp
    {
        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IWebhookHandler>(new CountingWebhookHandler());
    }

    private sealed class ResendHandler : IWebhookHandler
    {
        public string Provider => "resend";

        public Task HandleAsync(WebhookEvent webhook, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
