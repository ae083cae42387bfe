using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Backups;
using Rtgf.Pipeline.Operations;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>backup</c> (schedule <c>BACKUP_SCHEDULE</c>, hourly: the day's first successful run makes it): today's backup of the deployment's tables and blobs into
/// <c>rtgf-backups/{yyyy-MM-dd}/</c> (docs/spec/backups.md). Idempotent per day: a run after the day's manifest exists does
/// nothing, two at once are safe (the manifest is written last, create-only), and a crashed run is made whole by the next.
/// </summary>
public sealed partial class BackupFunction(StorageBackup backup, ILogger<BackupFunction> logger)
{
    [Function("backup")]
    public Task Run([TimerTrigger("%" + OperationsSchedules.BackupSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) => RunAsync(cancellationToken);

    public async Task<BackupOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var outcome = await backup.RunAsync(cancellationToken).ConfigureAwait(false);
        if (outcome.Created)
        {
            LogCreated(logger, outcome.Id, outcome.Tables, outcome.Rows, outcome.Blobs, outcome.CopiedBlobs);
        }
        else
        {
            LogAlreadyMade(logger, outcome.Id);
        }

        return outcome;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Backup {Id} made: {Tables} tables, {Rows} rows, {Blobs} blobs ({Copied} copied, the rest held by earlier backups)")]
    private static partial void LogCreated(ILogger logger, string id, int tables, long rows, int blobs, int copied);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Backup {Id} already exists; nothing to do")]
    private static partial void LogAlreadyMade(ILogger logger, string id);
}
