using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker.Builder;
using Rtgf.Azure.Traffic;
using Rtgf.Pipeline.Operations.Traffic;

namespace Rtgf.Functions.Traffic;

/// <summary>
/// The traffic log (docs/spec/operations.md#traffic): the <c>Traffic:*</c> settings, the recorder and its background
/// writer, the two tables, the snapshot and prune work, and the worker middleware. Call it before the problem middleware
/// is added, so the middleware runs outside it and records the status the client got.
/// </summary>
internal static class TrafficServices
{
    public static FunctionsApplicationBuilder AddTraffic(this FunctionsApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => TrafficOptions.FromSettings(key => sp.GetRequiredService<IConfiguration>()[key]));
        services.AddSingleton(sp => new TrafficRecorder(sp.GetRequiredService<TrafficOptions>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<TrafficOptions>();
            return new TableTrafficLog(() => sp.GetRequiredService<TableServiceClient>(), options.TablePrefix, TrafficWriterId.New(), options.Shards);
        });
        services.AddSingleton(sp => new TableTrafficDaily(() => sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<TrafficOptions>().TablePrefix));
        services.AddSingleton(sp => new TrafficSnapshot(
            sp.GetRequiredService<TableTrafficLog>(), sp.GetRequiredService<TableTrafficDaily>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<TrafficOptions>().RetentionDays));
        services.AddSingleton(sp => new TrafficPrune(
            sp.GetRequiredService<TableTrafficLog>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<TrafficOptions>().RetentionDays,
            sp.GetRequiredService<TableTrafficDaily>(), sp.GetRequiredService<TrafficOptions>().SnapshotRetentionDays));
        services.AddHostedService<TrafficWriter>();
        builder.UseMiddleware<TrafficMiddleware>();
        return builder;
    }
}
