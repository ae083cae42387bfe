using System.IO.Compression;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Cricos;

/// <summary>
/// Reads the CRICOS bulk export: a ZIP holding <c>CRICOS Institutions.csv</c>, <c>CRICOS Courses.csv</c>,
/// <c>CRICOS Locations.csv</c> and <c>CRICOS Course Locations.csv</c> (UTF-8 with BOM), columns by header name.
/// </summary>
public static class CricosZipParser
{
    public const string InstitutionsFile = "CRICOS Institutions.csv";
    public const string CoursesFile = "CRICOS Courses.csv";
    public const string LocationsFile = "CRICOS Locations.csv";
    public const string CourseLocationsFile = "CRICOS Course Locations.csv";

    private const string ProviderCode = "CRICOS Provider Code";
    private const string CourseCode = "CRICOS Course Code";
    private const string LocationName = "Location Name";

    private static readonly string[] InstitutionColumns =
        [ProviderCode, "Trading Name", "Institution Name", "Institution Type", "Institution Capacity", "Website", "Postal Address City", "Postal Address State", "Postal Address Postcode"];

    private static readonly string[] CourseColumns =
        [ProviderCode, CourseCode, "Course Name", "VET National Code", "Course Level", "Duration (Weeks)", "Tuition Fee", "Non Tuition Fee", "Estimated Total Course Cost", "Expired"];

    private static readonly string[] LocationColumns = [ProviderCode, LocationName, "Location Type", "City", "State", "Postcode"];

    private static readonly string[] CourseLocationColumns = [ProviderCode, CourseCode, LocationName];

    public static CricosSnapshot Parse(Stream zip)
    {
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            var providers = Read(archive, InstitutionsFile, InstitutionColumns, r => new CricosProviderRecord(
                r.Required(ProviderCode), r.Required("Institution Name"), r.Get("Trading Name"), r.Get("Institution Type"), r.Int("Institution Capacity"),
                r.Get("Website"), r.Get("Postal Address City"), r.Get("Postal Address State"), r.Get("Postal Address Postcode")));
            var locations = Read(archive, LocationsFile, LocationColumns, r => new CricosLocationRecord(
                r.Required(ProviderCode), r.Required(LocationName), r.Get("Location Type"), r.Get("City"), r.Get("State"), r.Get("Postcode")));
            var courseLocations = Read(archive, CourseLocationsFile, CourseLocationColumns, r => (Provider: r.Required(ProviderCode), Course: r.Required(CourseCode), Location: r.Required(LocationName)))
                .ToLookup(x => (x.Provider, x.Course), x => x.Location);
            var courses = Read(archive, CoursesFile, CourseColumns, r =>
            {
                var provider = r.Required(ProviderCode);
                var course = r.Required(CourseCode);
                return new CricosCourseRecord(
                    provider, course, r.Required("Course Name"), r.Get("VET National Code"), r.Get("Course Level"), r.Int("Duration (Weeks)"),
                    r.Money("Tuition Fee"), r.Money("Non Tuition Fee"), r.Money("Estimated Total Course Cost"), r.YesNo("Expired"),
                    SnapshotJson.Sorted(courseLocations[(provider, course)]));
            });
            return new CricosSnapshot(ByKey(providers, p => p.Key), ByKey(courses, c => c.Key), ByKey(locations, l => l.Key));
        }
        catch (InvalidDataException ex)
        {
            throw new UpstreamFormatException($"The CRICOS export is not a readable ZIP: {ex.Message}", ex);
        }
    }

    private static List<T> Read<T>(ZipArchive archive, string fileName, string[] columns, Func<CsvTable.Row, T> map)
    {
        var entry = archive.Entries.FirstOrDefault(e => string.Equals(e.Name, fileName, StringComparison.OrdinalIgnoreCase))
            ?? throw new UpstreamFormatException($"The CRICOS export has no '{fileName}' (entries: {string.Join(", ", archive.Entries.Select(e => e.FullName))}).");
        using var stream = entry.Open();
        return CsvTable.Read(stream, fileName, columns, map);
    }

    /// <summary>Sorted by key; a key repeated in the source keeps its first row.</summary>
    private static List<T> ByKey<T>(List<T> rows, Func<T, string> key) =>
        [.. rows.GroupBy(key, StringComparer.Ordinal).Select(g => g.First()).OrderBy(key, StringComparer.Ordinal)];
}
