using System.Collections.ObjectModel;
using System.Diagnostics;
using OpenTelemetry.Trace;
using Rtgf.Functions.Tests.Waitlist;

namespace Rtgf.Functions.Tests.Telemetry;

/// <summary>
/// The waitlist app (an HTTP request that queues a message, a queue function that writes tables and queues the comms
/// message) with its own TracerProvider exporting every span to memory, and known secrets in its settings, so the tests
/// can follow one trace across the queue hop and scan everything captured for secrets.
/// </summary>
public sealed class TelemetryFixture : WaitlistFixture
{
    public const string StripeSecret = "sk_test_51SecretScanStripeKey0000000000000000000000";
    public const string UpstreamPassword = "Upstream-Password-SecretScan-7f3c";

    public ExportedActivities Activities { get; } = new();

    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Stripe:SecretKey"] = StripeSecret,
        ["Upstream:Tga:Password"] = UpstreamPassword,
        ["Upstream:Tga:Username"] = "secret-scan-user",
    };

    protected override void ConfigureStoredServices(IServiceCollection services)
    {
        base.ConfigureStoredServices(services);
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Activities));
    }
}

/// <summary>What the in-memory exporter received (it adds from the export processor's thread; tests read copies).</summary>
public sealed class ExportedActivities : Collection<Activity>
{
    private readonly Lock _gate = new();

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_gate)
        {
            return [.. Items];
        }
    }

    protected override void InsertItem(int index, Activity item)
    {
        lock (_gate)
        {
            base.InsertItem(Items.Count, item);
        }
    }
}
