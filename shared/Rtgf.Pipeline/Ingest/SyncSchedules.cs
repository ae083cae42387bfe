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
    public const string OslSetting = "OSL_SYNC_SCHEDULE";
    public const string IviSetting = "IVI_SYNC_SCHEDULE";
    public const string AbsSetting = "ABS_SYNC_SCHEDULE";

    public const string DefaultTga = "0 */30 * * * *";
    public const string DefaultCricos = "0 0 2 * * *";
    public const string DefaultTeqsa = "0 30 2 * * *";
    public const string DefaultSanctions = "0 0 */6 * * *";

    // The OSL is yearly and the IVI monthly, but neither has a fixed release day: a daily look costs one landing page.
    public const string DefaultOsl = "0 0 3 * * *";
    public const string DefaultIvi = "0 15 3 * * *";
    public const string DefaultAbs = "0 30 3 * * *";

    public string Tga { get; init; } = DefaultTga;

    public string Cricos { get; init; } = DefaultCricos;

    public string Teqsa { get; init; } = DefaultTeqsa;

    public string Sanctions { get; init; } = DefaultSanctions;

    public string Osl { get; init; } = DefaultOsl;

    public string Ivi { get; init; } = DefaultIvi;

    public string Abs { get; init; } = DefaultAbs;

    /// <summary>Reads the settings through <paramref name="setting"/> (null or blank: the default).</summary>
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
            Osl = Or(setting(OslSetting), DefaultOsl),
            Ivi = Or(setting(IviSetting), DefaultIvi),
            Abs = Or(setting(AbsSetting), DefaultAbs),
        };
    }

    public string For(string source) => source switch
    {
        IngestSources.Tga => Tga,
        IngestSources.Cricos => Cricos,
        IngestSources.Teqsa => Teqsa,
        IngestSources.Sanctions => Sanctions,
        IngestSources.Osl => Osl,
        IngestSources.Ivi => Ivi,
        IngestSources.Abs => Abs,
        _ => throw new ArgumentException($"Unknown source '{source}'.", nameof(source)),
    };

    /// <summary>The app setting that holds <paramref name="source"/>'s schedule.</summary>
    public static string SettingFor(string source) => source switch
    {
        IngestSources.Tga => TgaSetting,
        IngestSources.Cricos => CricosSetting,
        IngestSources.Teqsa => TeqsaSetting,
        IngestSources.Sanctions => SanctionsSetting,
        IngestSources.Osl => OslSetting,
        IngestSources.Ivi => IviSetting,
        IngestSources.Abs => AbsSetting,
        _ => throw new ArgumentException($"Unknown source '{source}'.", nameof(source)),
    };
}
