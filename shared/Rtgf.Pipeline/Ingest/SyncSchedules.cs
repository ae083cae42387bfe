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
    public const string TenderSetting = "TENDER_SYNC_SCHEDULE";
    public const string MagdaSetting = "MAGDA_MONITOR_SCHEDULE";
    public const string CalendarSetting = "CALENDAR_SYNC_SCHEDULE";
    public const string RadarSetting = "RADAR_CRAWL_SCHEDULE";
    public const string EnrichSetting = "ENRICH_SYNC_SCHEDULE";

    public const string DefaultTga = "0 */30 * * * *";
    public const string DefaultCricos = "0 0 2 * * *";
    public const string DefaultTeqsa = "0 30 2 * * *";
    public const string DefaultSanctions = "0 0 */6 * * *";

    // The OSL is yearly and the IVI monthly, but neither has a fixed release day: a daily look costs one landing page.
    public const string DefaultOsl = "0 0 3 * * *";
    public const string DefaultIvi = "0 15 3 * * *";
    public const string DefaultAbs = "0 30 3 * * *";

    // AusTender publishes daily; hourly runs let a back-fill advance a bounded number of windows each time.
    public const string DefaultTender = "0 5 * * * *";
    public const string DefaultMagda = "0 45 3 * * *";
    public const string DefaultCalendar = "0 0 4 * * *";

    // The radar follows the sources' snapshots; the enrichment timer looks every 10 minutes (a new run daily, Enrich:RunEvery; stall recovery), the run chains itself page by page.
    public const string DefaultRadar = "0 20,50 * * * *";
    public const string DefaultEnrich = "0 */10 * * * *";

    public string Tga { get; init; } = DefaultTga;

    public string Cricos { get; init; } = DefaultCricos;

    public string Teqsa { get; init; } = DefaultTeqsa;

    public string Sanctions { get; init; } = DefaultSanctions;

    public string Osl { get; init; } = DefaultOsl;

    public string Ivi { get; init; } = DefaultIvi;

    public string Abs { get; init; } = DefaultAbs;

    public string Tender { get; init; } = DefaultTender;

    public string Magda { get; init; } = DefaultMagda;

    public string Calendar { get; init; } = DefaultCalendar;

    public string Radar { get; init; } = DefaultRadar;

    public string Enrich { get; init; } = DefaultEnrich;

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
            Tender = Or(setting(TenderSetting), DefaultTender),
            Magda = Or(setting(MagdaSetting), DefaultMagda),
            Calendar = Or(setting(CalendarSetting), DefaultCalendar),
            Radar = Or(setting(RadarSetting), DefaultRadar),
            Enrich = Or(setting(EnrichSetting), DefaultEnrich),
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
        IngestSources.Tender => Tender,
        IngestSources.Magda => Magda,
        IngestSources.Calendar => Calendar,
        IngestSources.Radar => Radar,
        IngestSources.Enrich => Enrich,
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
        IngestSources.Tender => TenderSetting,
        IngestSources.Magda => MagdaSetting,
        IngestSources.Calendar => CalendarSetting,
        IngestSources.Radar => RadarSetting,
        IngestSources.Enrich => EnrichSetting,
        _ => throw new ArgumentException($"Unknown source '{source}'.", nameof(source)),
    };
}
