namespace Rtgf.Pipeline.Operations;

/// <summary>The operational timers' schedule settings (<c>%…%</c> in the triggers) and their defaults (NCRONTAB, UTC).</summary>
public static class OperationsSchedules
{
    public const string TrafficSnapshotSetting = "TRAFFIC_SNAPSHOT_SCHEDULE";
    public const string TrafficPruneSetting = "TRAFFIC_PRUNE_SCHEDULE";
    public const string SessionArchiveSetting = "SESSION_ARCHIVE_SCHEDULE";
    public const string ArchivePurgeSetting = "ARCHIVE_PURGE_SCHEDULE";
    public const string BackupSetting = "BACKUP_SCHEDULE";

    // Yesterday's traffic is whole after midnight UTC; the snapshot runs first, the prune after it.
    public const string DefaultTrafficSnapshot = "0 10 0 * * *";
    public const string DefaultTrafficPrune = "0 40 0 * * *";
    public const string DefaultSessionArchive = "0 */15 * * * *";
    public const string DefaultArchivePurge = "0 20 1 * * *";
    public const string DefaultBackup = "0 0 * * * *";
}
