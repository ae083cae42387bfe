namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The sync timers' schedules (NCRONTAB or TimeSpan, as the host reads them: <see cref="Scheduling.TimerSchedule"/>), from the app settings the timer triggers reference (<c>%TGA_SYNC_SCHEDULE%</c> …),
/// with defaults when unset. The watchtower derives each source's expected interval from them.
/// </summary>
public sealed class SyncSchedules
{
    public const string TgaSetting = "TGA_SYNC_SCHEDULE";
    public const string CricosSetting = "CRICOS_SYNC_SCHEDULE";
    public const string TeqsaSetting = "TEQSA_SYNC_SCHEDULE";
    public const string SanctionsSetting = "SANCTIONS_SYNC_SCHEDULE";

    public const string DefaultTga = "0 */30 * * * *";
    public const string DefaultCricos = "0 0 2 * * *";
    public const string DefaultTeqsa = "0 30 2 * * *";
    public const string DefaultSanctions = "0 0 */6 * * *";

    public string Tga { get; init; } = DefaultTga;

    public string Cricos { get; init; } = DefaultCricos;

    public string Teqsa { get; init; } = DefaultTeqsa;

    public string Sanctions { get; init; } = DefaultSanctions;

    /// <summary>Reads the four settings through <paramref name="setting"/> (null or blank: the default).</summary>
    public static SyncSchedules From(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        static string Or(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
        return new SyncSchedules
        {
            Tga = Or(setting(TgaSetting), DefaultTga),
            Cricos = Or(setting(CricosSetting), DefaultCricos),
            Teqsa = Or(setting(TeqsaSetting), DefaultTeqsa),
            Sanctions = Or(setting(SanctionsSetting), DefaultSanctions),
        };
    }

    public string For(string source) => source switch
    {
        IngestSources.Tga => Tga,
        IngestSources.Cricos => Cricos,
        IngestSources.Teqsa => Teqsa,
        IngestSources.Sanctions => Sanctions,
        _ => throw new ArgumentException($"Unknown source '{source}'.", nameof(source)),
    };

    /// <summary>The app setting that holds <paramref name="source"/>'s schedule.</summary>
    public static string SettingFor(string source) => source switch
    {
        IngestSources.Tga => TgaSetting,
        IngestSources.Cricos => CricosSetting,
        IngestSources.Teqsa => TeqsaSetting,
        IngestSources.Sanctions => SanctionsSetting,
        _ => throw new ArgumentException($"Unknown source '{source}'.", nameof(source)),
    };
}
