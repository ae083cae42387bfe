using System.Globalization;

namespace Rtgf.Pipeline.Operations.Traffic;

/// <summary>The <c>Traffic:*</c> settings (docs/spec/operations.md#settings).</summary>
public sealed record TrafficOptions
{
    public const string SectionName = "Traffic";

    /// <summary>Off: no record is made and nothing is written (the tracing overhead bench compares with it off).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Days the log keeps, today included (at least 2, so yesterday is still there for the snapshot).</summary>
    public int RetentionDays { get; init; } = 30;

    /// <summary>Default of <see cref="SnapshotRetentionDays"/>: a year of daily totals, with room for year-on-year.</summary>
    public const int DefaultSnapshotRetentionDays = 400;

    /// <summary>Days the daily snapshot (<c>trafficdaily</c>) keeps, today included; pruned by <c>traffic-prune</c> too.</summary>
    public int SnapshotRetentionDays { get; init; } = DefaultSnapshotRetentionDays;

    /// <summary>Records the in-memory channel holds before a request's record is dropped (and counted).</summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>Partitions per hour the writers spread their batches over (one partition takes about 2,000 rows a second).</summary>
    public int Shards { get; init; } = 4;

    /// <summary>Records one write round takes from the channel at most (then grouped into transactions of 100).</summary>
    public int MaxBatch { get; init; } = 2_000;

    /// <summary>Prefix of the two table names (tests; empty in Azure).</summary>
    public string TablePrefix { get; init; } = string.Empty;

    /// <summary>Reads <c>Traffic:…</c> through <paramref name="setting"/>; a value that is set but unusable is an error that names it.</summary>
    public static TrafficOptions FromSettings(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return new TrafficOptions
        {
            Enabled = Flag(setting, nameof(Enabled), true),
            RetentionDays = Number(setting, nameof(RetentionDays), 30, 2, 3650),
            SnapshotRetentionDays = Number(setting, nameof(SnapshotRetentionDays), DefaultSnapshotRetentionDays, 2, 3650),
            Capacity = Number(setting, nameof(Capacity), 10_000, 1, 10_000_000),
            Shards = Number(setting, nameof(Shards), 4, 1, 99),
            MaxBatch = Number(setting, nameof(MaxBatch), 2_000, 1, 100_000),
            TablePrefix = setting(SectionName + ":" + nameof(TablePrefix)) ?? string.Empty,
        };
    }

    private static bool Flag(Func<string, string?> setting, string name, bool fallback) => setting(SectionName + ":" + name) switch
    {
        null or "" => fallback,
        var text when bool.TryParse(text, out var value) => value,
        var text => throw new InvalidOperationException($"The setting {SectionName}:{name} must be true or false (it is '{text}')."),
    };

    private static int Number(Func<string, string?> setting, string name, int fallback, int min, int max) => setting(SectionName + ":" + name) switch
    {
        null or "" => fallback,
        var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max => value,
        var text => throw new InvalidOperationException($"The setting {SectionName}:{name} must be a whole number from {min} to {max} (it is '{text}')."),
    };
}
