namespace Rtgf.Pipeline.Ingest;

/// <summary>How <c>tender-sync</c> walks AusTender (section <c>Tender</c>: <c>Tender:MaxWindowsPerRun</c>, <c>Tender:BackfillFrom</c>, <c>Tender:SettleMinutes</c>).</summary>
public sealed class TenderSyncOptions
{
    public const string SectionName = "Tender";

    /// <summary>One-day windows a run reads at most: a month of back-fill per run, so a first run ends well inside a timer's budget.</summary>
    public int MaxWindowsPerRun { get; set; } = 31;

    /// <summary>Where the first run starts (null: one year before the run).</summary>
    public DateTimeOffset? BackfillFrom { get; set; }

    /// <summary>How far behind now the last window ends, so a window is read once upstream has finished writing it.</summary>
    public int SettleMinutes { get; set; } = 60;

    /// <summary>
    /// How long a run's claim to publish the snapshot lasts (a run builds and publishes under it, one at a time); longer
    /// than a run's build and write, so only a crashed holder's claim expires.
    /// </summary>
    public int PublishClaimMinutes { get; set; } = 15;

    public static readonly TimeSpan WindowLength = TimeSpan.FromDays(1);
}
