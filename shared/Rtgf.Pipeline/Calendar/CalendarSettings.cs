using System.Globalization;
using Rtgf.Ingestion.Calendar;

namespace Rtgf.Pipeline.Calendar;

/// <summary>
/// The calendar's settings: optional <c>Upstream:DataGovAu:HolidaysDatasetId</c> (default
/// <see cref="PublicHolidaysClient.DatasetId"/>) and <c>Calendar:YearsAhead</c> (how many years after this one the
/// annual key dates are expanded for, 0 to 10, default 2) and <c>Calendar:YearsBehind</c> (how many years before this one,
/// 0 to 10, default 1, so last year's dates do not vanish on 1 January). data.gov.au itself (<c>Upstream:DataGovAu:BaseUrl</c>,
/// upstream <c>datagovau</c>) is the one CKAN client the Magda monitor shares.
/// </summary>
public static class CalendarSettings
{
    public const string DatasetIdSetting = "Upstream:DataGovAu:HolidaysDatasetId";
    public const string YearsAheadSetting = "Calendar:YearsAhead";
    public const int DefaultYearsAhead = 2;
    public const int MaxYearsAhead = 10;
    public const string YearsBehindSetting = "Calendar:YearsBehind";
    public const int DefaultYearsBehind = 1;

    public static string DatasetId(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return setting(DatasetIdSetting) is { Length: > 0 } id ? id.Trim() : PublicHolidaysClient.DatasetId;
    }

    public static int YearsAhead(Func<string, string?> setting) => Years(setting, YearsAheadSetting, DefaultYearsAhead);

    public static int YearsBehind(Func<string, string?> setting) => Years(setting, YearsBehindSetting, DefaultYearsBehind);

    private static int Years(Func<string, string?> setting, string name, int fallback)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var text = setting(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var years) && years <= MaxYearsAhead
            ? years
            : throw new InvalidOperationException($"The setting '{name}' is '{text}': use a whole number of years from 0 to {MaxYearsAhead}.");
    }
}
