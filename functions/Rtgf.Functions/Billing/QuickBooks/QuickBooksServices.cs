using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Connections;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Functions.Billing.QuickBooks;

/// <summary>
/// The QuickBooks reconcile (docs/spec/billing.md): settings, the connection (built when first used), the receipt ledger
/// table (access tables' prefix) and the report store. The secret client is a seam (<c>Func&lt;Uri, SecretClient&gt;</c>):
/// the managed identity in Azure, the Key Vault stand-in in tests.
/// </summary>
internal static class QuickBooksServices
{
    public static FunctionsApplicationBuilder AddQuickBooks(this FunctionsApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(sp => new OutboundHttpClientFactory(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(sp => QuickBooksConnection.ManagedIdentitySecrets(AppIdentity.FromSettings(key => sp.GetRequiredService<IConfiguration>()[key])));
        services.AddSingleton(sp => QuickBooksSettings.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => QuickBooksConnection.Create(
            sp.GetRequiredService<QuickBooksSettings>(), sp.GetRequiredService<OutboundHttpClientFactory>(), sp.GetRequiredService<Func<Uri, SecretClient>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new ReceiptLedger(() => sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IConfiguration>()["ApiAccess:TablePrefix"] ?? string.Empty));
        services.AddSingleton(sp => new ReconcileReportStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(ReconcileReportStore.ContainerName)));
        return builder;
    }
}
