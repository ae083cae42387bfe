using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rtgf.Azure.Connections;
using Rtgf.Azure.Queues;
using Rtgf.Core.Telemetry;
using Rtgf.Functions.Telemetry;

namespace Rtgf.Functions.Composition;

/// <summary>
/// OpenTelemetry in the worker (docs/spec/telemetry.md): the worker's invocation spans, ASP.NET Core, HttpClient and Azure
/// SDK spans and our own source; our meters. Exported to Azure Monitor when <see cref="AppInsightsSetting"/> is set, over
/// OTLP when <see cref="OtlpEndpointSetting"/> is set (a local collector), and shown on <c>GET /ops/metrics</c> always.
/// <see cref="EnabledSetting"/> = false samples nothing (the overhead benchmark's "off" side); metrics stay on.
/// </summary>
internal static class TelemetryServices
{
    public const string EnabledSetting = "Telemetry:Enabled";

    public const string AppInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The Azure SDK's switch for its <c>Azure.*</c> activity sources (still experimental in Azure.Core).</summary>
    public const string AzureActivitySourceSwitch = "Azure.Experimental.EnableActivitySource";

    /// <summary>Activity sources traced besides the worker's (which <c>UseFunctionsWorkerDefaults</c> adds).</summary>
    public static readonly IReadOnlyList<string> Sources = [RtgfTelemetry.Name, "Microsoft.AspNetCore", "System.Net.Http", "Azure.*"];

    public static FunctionsApplicationBuilder AddRtgfTelemetry(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AppContext.SetSwitch(AzureActivitySourceSwitch, true);

        // Exporters are chosen from the environment the host gives the worker (app settings are environment variables).
        var configuration = builder.Configuration;
        var telemetry = builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing =>
            {
                tracing.AddSource([.. Sources]);
                // Read when the provider is built, so settings added after composition (tests, the bench) count.
                tracing.SetSampler(services => IsEnabled(services.GetRequiredService<IConfiguration>())
                    ? new ParentBasedSampler(new AlwaysOnSampler())
                    : new AlwaysOffSampler());
                if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]))
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. MetricsSnapshot.Meters]);
                if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]))
                {
                    metrics.AddOtlpExporter();
                }
            });

        if (!string.IsNullOrWhiteSpace(configuration[AppInsightsSetting]))
        {
            // The App Insights resource disables local auth (infra/modules/monitoring.bicep): the exporter must present the
            // app's managed identity; exporter 1.10 does not read APPLICATIONINSIGHTS_AUTHENTICATION_STRING.
            telemetry.UseAzureMonitorExporter(o => o.Credential = AppIdentity.FromSettings(k => configuration[k]).Credential());
        }

        builder.Services.AddSingleton<MetricsSnapshot>();
        // Built at start-up, not at the first GET /ops/metrics, so the snapshot holds what happened before that call.
        builder.Services.AddHostedService<MetricsSnapshotStart>();
        builder.Services.AddSingleton(services => new QueueBacklog(services.GetRequiredService<StorageConnection>()));
        builder.UseMiddleware<FunctionTelemetryMiddleware>();
        return builder;
    }

    /// <summary><see cref="EnabledSetting"/>: on unless set to false.</summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        !bool.TryParse(configuration[EnabledSetting], out var enabled) || enabled;
}
