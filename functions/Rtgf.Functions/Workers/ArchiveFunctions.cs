using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Archives;
using Rtgf.Pipeline.Operations;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>session-archiver</c> (<c>%SESSION_ARCHIVE_SCHEDULE%</c>): ended and expired sessions to encrypted archives;
/// <c>archive-purge</c> (<c>%ARCHIVE_PURGE_SCHEDULE%</c>): archives past their retention deleted (docs/spec/archives.md).
/// Both are idempotent and safe on two instances at once; each logs one summary line.
/// </summary>
public sealed class ArchiveFunctions(SessionArchiver archiver, ArchivePurge purge, ILogger<ArchiveFunctions> logger)
{
    [Function("session-archiver")]
    public async Task Archive([TimerTrigger("%" + OperationsSchedules.SessionArchiveSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var summary = await archiver.RunAsync(cancellationToken);
        logger.Outcome(summary.ToString);
    }

    [Function("archive-purge")]
    public async Task Purge([TimerTrigger("%" + OperationsSchedules.ArchivePurgeSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var summary = await purge.RunAsync(cancellationToken);
        logger.Outcome(summary.ToString);
    }
}
