namespace Rtgf.Pipeline.Operations;

/// <summary>
/// The operational workers' tables and containers (docs/spec/operations.md). One name per concept: the infrastructure
/// (infra/) declares exactly these.
/// </summary>
public static class OperationsStorage
{
    /// <summary>One compact record per API request, written in batches off the request path; pruned after <c>Traffic:RetentionDays</c>.</summary>
    public const string TrafficTable = "traffic";

    /// <summary>The daily aggregate of <see cref="TrafficTable"/> per route, plan, status class and hour (<c>traffic-snapshot</c>; <c>/ops/traffic</c>).</summary>
    public const string TrafficDailyTable = "trafficdaily";

    /// <summary>Signed-in sessions (magic link or API-key owner) with their expiry; ended ones move to <see cref="ArchivesContainer"/>.</summary>
    public const string SessionsTable = "sessions";

    /// <summary>The append-only audit trail of operator actions (<c>/ops/audit</c>).</summary>
    public const string AuditTable = "audit";

    /// <summary>Encrypted session archives (<c>sessions/…</c>), kept 12 months (<c>archive-purge</c> and a lifecycle rule).</summary>
    public const string ArchivesContainer = "rtgf-archives";

    /// <summary>Encrypted daily backups of the tables the registry, revocations and watchtower need (<c>backup</c>).</summary>
    public const string BackupsContainer = "rtgf-backups";
}
