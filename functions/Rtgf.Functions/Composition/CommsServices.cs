using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Comms;
using Rtgf.Functions.Comms;
using Rtgf.Ingestion.Outbound;
using Rtgf.Pipeline.Comms;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Composition;

/// <summary>
/// Email and SMS (issue 16, docs/spec/comms.md): the outbox every caller enqueues to; the templates, the Resend and
/// Cellcast clients, the comms table and the sender behind the <c>comms</c> queue function; and the Resend webhook handler
/// for the bus. Each is built when first used, so an app without comms settings starts, and a send says which setting is missing.
/// </summary>
internal static class CommsServices
{
    /// <summary>The comms table's name prefix (tests keep theirs apart).</summary>
    public const string TablePrefixSetting = "Comms:TablePrefix";

    public static IHostApplicationBuilder AddComms(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<CommsOutbox>();
        services.TryAddSingleton(sp => new OutboundHttpClientFactory(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(_ => CommsTemplates.ShippedWithApp());
        services.AddSingleton(sp => ResendClient.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<OutboundHttpClientFactory>()));
        services.AddSingleton(sp => CellcastClient.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<OutboundHttpClientFactory>()));
        services.AddSingleton(sp => CommsSenderOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => new TableCommsStore(() => sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IConfiguration>()[TablePrefixSetting] ?? string.Empty));
        services.AddSingleton<CommsSender>();
        services.AddSingleton<CommsDeadLetters>();
        services.AddSingleton<ResendWebhookHandler>();
        services.AddSingleton<IWebhookHandler>(sp => sp.GetRequiredService<ResendWebhookHandler>());
        return builder;
    }
}
