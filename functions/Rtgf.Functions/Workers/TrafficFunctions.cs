using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Traffic;
using Rtgf.Pipeline.Operations;

namespace Rtgf.Functions.Workers;

/// <summary>
/// The traffic log's daily timers (docs/spec/operations.md#traffic): <c>traffic-snapshot</c> aggregates every whole day
/// not yet snapshotted into <c>trafficdaily</c>; <c>traffic-prune</c> deletes the days <c>Traffic:RetentionDays</c> no
/// longer keeps. Both are safe repeated and on two instances at once; each logs one summary line.
/// </summary>
public sealed class TrafficFunctions(TrafficSnapshot snapshot, TrafficPrune prune, ILogger<TrafficFunctions> logger)
{
    [Function("traffic-snapshot")]
    public async Task Snapshot([TimerTrigger("%" + OperationsSchedules.TrafficSnapshotSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var summary = await snapshot.RunAsync(cancellationToken).ConfigureAwait(false);
        logger.Outcome(summary.ToString);
    }

    [Function("traffic-prune")]
    public async Task Prune([TimerTrigger("%" + OperationsSchedules.TrafficPruneSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var summary = await prune.RunAsync(cancellationToken).ConfigureAwait(false);
        logger.Outcome(summary.ToString);
    }
}
