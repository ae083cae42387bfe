using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Billing;
using Rtgf.Ingestion.Outbound;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Comms;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Billing;

/// <summary>
/// Billing (docs/spec/billing.md): the Stripe connection, the settings, the billing account table (with the access tables'
/// prefix), the ledger, and the Stripe webhook handler for the webhook bus. Each is built when first used, so an app
/// without billing settings starts, and checkout answers 503 naming the missing setting.
/// </summary>
internal static class BillingServices
{
    public static FunctionsApplicationBuilder AddBilling(this FunctionsApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(sp => new OutboundHttpClientFactory(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => StripeConnection.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<OutboundHttpClientFactory>()));
        services.AddSingleton(sp => BillingSettings.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ApiPlans>()));
        services.AddSingleton(sp => new TableBillingAccountStore(
            () => sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IConfiguration>()["ApiAccess:TablePrefix"] ?? string.Empty));
        services.AddSingleton<SubscriptionLedger>();
        services.AddSingleton<SessionPageCache>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<BillingNotices>(sp, new Func<CommsOutbox>(sp.GetRequiredService<CommsOutbox>)));
        services.AddSingleton<StripeWebhookHandler>();
        services.AddSingleton<IWebhookHandler>(sp => sp.GetRequiredService<StripeWebhookHandler>());
        return builder;
    }
}
