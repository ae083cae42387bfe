using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rtgf.Azure.Webhooks;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Composition;

/// <summary>
/// The inbound webhook bus (issue 16): a verifier per provider, the <c>webhooks</c> table, the raw bodies' container, the
/// inbox and the dispatcher. Providers' handlers are added where they are built
/// (<c>services.AddSingleton&lt;IWebhookHandler, XxxWebhookHandler&gt;()</c>); the dispatcher picks by provider.
/// </summary>
internal static class WebhookServices
{
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection(WebhookOptions.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WebhookOptions>>().Value);
        services.AddSingleton<IWebhookVerifier, StripeSignatureVerifier>();
        services.AddSingleton<IWebhookVerifier>(SvixSignatureVerifier.Resend());
        services.TryAddSingleton<IWebhookStore>(sp => new TableWebhookStore(sp.GetRequiredService<TableServiceClient>));
        services.TryAddSingleton<IWebhookBodyStore>(sp => new BlobWebhookBodyStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobWebhookBodyStore.ContainerName)));
        services.AddSingleton<WebhookInbox>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService<WebhookHandlerCheck>();
        return builder;
    }
}

/// <summary>
/// Fails the app's start when two handlers claim one provider (<see cref="WebhookDispatcher.ByProvider"/>), rather than
/// at the first webhook's dispatch, when the event would already have been accepted.
/// </summary>
internal sealed class WebhookHandlerCheck(IEnumerable<IWebhookHandler> handlers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        WebhookDispatcher.ByProvider(handlers);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
