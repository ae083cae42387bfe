using Microsoft.Azure.Functions.Worker;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Radar;

namespace Rtgf.Functions.Workers;

/// <summary><c>radar-crawl</c>: runs <see cref="RadarCrawlWorker"/> over the tga, tender and magda snapshots (docs/spec/radar.md).</summary>
public sealed class RadarCrawlFunction(RadarCrawlWorker worker, ILogger<RadarCrawlFunction> logger)
{
    [Function("radar-crawl")]
    public async Task Run([TimerTrigger("%" + SyncSchedules.RadarSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var outcome = await worker.RunAsync(IngestTrigger.Timer, cancellationToken);
        if (outcome.Run.Status == IngestRunStatus.Failed)
        {
            // Recorded in the ingest-runs table; the next crawl resumes the recorded plan.
            throw new InvalidOperationException($"Radar crawl {outcome.Run.RunId} failed: {outcome.Run.Error}");
        }

        logger.Outcome(() => $"Radar crawl {outcome.Run.RunId}: {outcome.Run.Status}, {outcome.Plans} plan(s), {outcome.Items} item(s).");
    }
}
