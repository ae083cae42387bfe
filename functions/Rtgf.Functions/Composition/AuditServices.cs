using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Audit;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Audit;
using Rtgf.Pipeline.Freeze;

namespace Rtgf.Functions.Composition;

/// <summary>The audit trail (table <c>audit</c>, docs/spec/operations.md#audit): one store, appended by operator actions, read by <c>/ops/audit</c>.</summary>
internal static class AuditServices
{
    /// <summary>A prefix for the audit table's name (tests isolate their tables with it; empty in Azure).</summary>
    public const string TablePrefixSetting = "Audit:TablePrefix";

    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(sp => new TableAuditTrail(sp.GetRequiredService<TableServiceClient>, sp.GetRequiredService<IConfiguration>()[TablePrefixSetting] ?? string.Empty));
        services.TryAddSingleton<IAuditTrail>(sp => sp.GetRequiredService<TableAuditTrail>());
        services.TryAddSingleton<OperatorAudit>();

        // A freeze set by the QA stage is audited: the pipeline's freeze (PipelineStages) is wrapped, not re-declared.
        if (services.LastOrDefault(d => d.ServiceType == typeof(IPublicationFreeze)) is { ImplementationType: { } freezeType })
        {
            services.TryAddSingleton(freezeType);
            services.Replace(ServiceDescriptor.Singleton<IPublicationFreeze>(sp =>
                new AuditedPublicationFreeze((IPublicationFreeze)sp.GetRequiredService(freezeType), sp.GetRequiredService<IAuditTrail>())));
        }

        return builder;
    }
}
