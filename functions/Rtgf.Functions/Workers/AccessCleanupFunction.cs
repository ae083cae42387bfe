using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Access;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>access-cleanup</c>: deletes the access tables' rows no limit reads any more (old usage windows, expired abuse
/// blocks; <see cref="AccessCleanup"/>) and logs one summary line. Bounded per run; what is left goes with the next run.
/// </summary>
public sealed class AccessCleanupFunction(AccessCleanup cleanup, ILogger<AccessCleanupFunction> logger)
{
    public const string ScheduleSetting = "ACCESS_CLEANUP_SCHEDULE";

    /// <summary>The production schedule (docs/spec/api-keys.md#cleanup): every 15 minutes.</summary>
    public const string DefaultSchedule = "0 */15 * * * *";

    [Function("access-cleanup")]
    public async Task Run([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var summary = await cleanup.RunAsync(cancellationToken);
        logger.Outcome(summary.ToString);
    }
}
