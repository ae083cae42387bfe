namespace Rtgf.Functions.Telemetry;

/// <summary>Resolves <see cref="MetricsSnapshot"/> when the host starts, so its listener sees measurements from the start.</summary>
internal sealed class MetricsSnapshotStart(MetricsSnapshot snapshot) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(snapshot);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
