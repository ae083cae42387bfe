using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.Formats;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Cricos;

/// <summary>
/// data.gov.au for the CRICOS dataset: its CKAN <c>package_show</c> result (<see cref="Package"/>, served by the catalogue's
/// routes) and the bulk ZIP of four CSVs it points at
/// (<c>CRICOS Institutions.csv</c>, <c>CRICOS Courses.csv</c>, <c>CRICOS Locations.csv</c>, <c>CRICOS Course Locations.csv</c>).
/// </summary>
internal static class CricosEndpoints
{
    public const string DatasetId = "e5ae2a58-700f-4748-b6bd-f86eaf33f4e2";
    public const string ResourceId = "6a5ab4b1-7f0e-4d8b-9a43-0c6e2f0b11aa";
    public const string FileName = "cricos-providers-courses-and-locations.zip";

    public static readonly string[] InstitutionColumns =
    [
        "CRICOS Provider Code", "Trading Name", "Institution Name", "Institution Type", "Institution Capacity", "Website",
        "Postal Address Line 1", "Postal Address Line 2", "Postal Address Line 3", "Postal Address Line 4",
        "Postal Address City", "Postal Address State", "Postal Address Postcode",
    ];

    public static readonly string[] CourseColumns =
    [
        "CRICOS Provider Code", "Institution Name", "CRICOS Course Code", "Course Name", "VET National Code", "Dual Qualification",
        "Field of Education 1 Broad Field", "Field of Education 1 Narrow Field", "Field of Education 1 Detailed Field",
        "Field of Education 2 Broad Field", "Field of Education 2 Narrow Field", "Field of Education 2 Detailed Field",
        "Course Level", "Foundation Studies", "Work Component", "Work Component Hours/Week", "Work Component Weeks",
        "Work Component Total Hours", "Course Language", "Duration (Weeks)", "Tuition Fee", "Non Tuition Fee",
        "Estimated Total Course Cost", "Expired",
    ];

    public static readonly string[] LocationColumns =
    [
        "CRICOS Provider Code", "Institution Name", "Location Name", "Location Type", "Address Line 1", "Address Line 2",
        "Address Line 3", "Address Line 4", "City", "State", "Postcode",
    ];

    public static readonly string[] CourseLocationColumns =
    [
        "CRICOS Provider Code", "Institution Name", "CRICOS Course Code", "Location Name", "Location City", "Location State",
    ];

    public static void Map(WebApplication app, SimulatedWorld world)
    {
        app.MapGet($"/data/dataset/{DatasetId}/resource/{ResourceId}/download/{FileName}", async (HttpContext context) =>
        {
            byte[] zip;
            DateTimeOffset updated;
            lock (world.Gate)
            {
                var drift = context.Features.Get<SchemaDriftFeature>() is not null;
                zip = drift ? Zip(world, drift: true) : world.Cached("cricos.zip", () => Zip(world, drift: false));
                updated = world.CricosUpdated;
            }

            await HttpDownload.SendAsync(context, zip, "application/zip", updated, FileName).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// The CRICOS dataset as CKAN <c>package_show</c>'s <c>result</c> (served by the data.gov.au catalogue's routes,
    /// <see cref="DataGovAu.DataGovAuEndpoints"/>). Call under the world's gate.
    /// </summary>
    internal static JsonObject Package(SimulatedWorld world, string baseUrl)
    {
        var zip = world.Cached("cricos.zip", () => Zip(world, drift: false));
        var updated = world.CricosUpdated;
        return new JsonObject
        {
            ["id"] = DatasetId,
            ["name"] = "cricos",
            ["title"] = "CRICOS - Commonwealth Register of Institutions and Courses for Overseas Students",
            ["notes"] = "Synthetic CRICOS export served by the RTGF upstream simulator.",
            ["organization"] = new JsonObject { ["name"] = "department-of-education", ["title"] = "Department of Education" },
            ["license_id"] = "cc-by",
            ["license_title"] = "Creative Commons Attribution",
            ["metadata_created"] = "2021-06-01T00:00:00.000000",
            ["metadata_modified"] = Ckan(updated),
            ["resources"] = new JsonArray(new JsonObject
            {
                ["id"] = ResourceId,
                ["name"] = "CRICOS bulk export (ZIP)",
                ["format"] = "ZIP",
                ["url"] = $"{baseUrl}/data/dataset/{DatasetId}/resource/{ResourceId}/download/{FileName}",
                ["created"] = "2021-06-01T00:00:00.000000",
                ["last_modified"] = Ckan(updated),
                ["hash"] = HttpDownload.ETag(zip).Trim('"'),
                ["size"] = zip.Length,
            }),
        };
    }

    internal static string Ckan(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>The bulk export; drifted, the course file calls its key <c>Course Code</c> and has no <c>Expired</c> column.</summary>
    internal static byte[] Zip(SimulatedWorld world, bool drift)
    {
        var institutionName = world.CricosProviders.ToDictionary(p => p.Code, p => p.InstitutionName, StringComparer.Ordinal);
        var locations = world.CricosLocations.ToDictionary(l => (l.ProviderCode, l.Name), l => l);
        string N(int value) => value.ToString(CultureInfo.InvariantCulture);

        var courseColumns = drift
            ? CourseColumns.Where(c => c != "Expired").Select(c => c == "CRICOS Course Code" ? "Course Code" : c).ToArray()
            : CourseColumns;
        var courses = world.CricosCourses.Select(c =>
        {
            var total = c.TuitionFee + c.NonTuitionFee;
            string[] row =
            [
                c.ProviderCode, institutionName[c.ProviderCode], c.CourseCode, c.Name, c.VetNationalCode, "No",
                c.FieldBroad, c.FieldNarrow, c.FieldDetailed, string.Empty, string.Empty, string.Empty,
                c.Level, "No", "No", string.Empty, string.Empty, string.Empty, "English", N(c.DurationWeeks),
                N(c.TuitionFee), N(c.NonTuitionFee), "$" + total.ToString("N2", CultureInfo.InvariantCulture), c.Expired ? "Yes" : "No",
            ];
            return (IReadOnlyList<string>)(drift ? row[..^1] : row);
        });

        return DeterministicZip.Create(new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["CRICOS Institutions.csv"] = CsvWriter.Write(InstitutionColumns, world.CricosProviders.Select(p => (IReadOnlyList<string>)
            [
                p.Code, p.TradingName, p.InstitutionName, p.InstitutionType, N(p.Capacity), p.Website,
                "PO Box " + N(100 + (p.Capacity % 900)), string.Empty, string.Empty, string.Empty,
                p.PostalAddress.Suburb, p.PostalAddress.State, p.PostalAddress.Postcode,
            ])),
            ["CRICOS Courses.csv"] = CsvWriter.Write(courseColumns, courses),
            ["CRICOS Locations.csv"] = CsvWriter.Write(LocationColumns, world.CricosLocations.Select(l => (IReadOnlyList<string>)
            [
                l.ProviderCode, institutionName[l.ProviderCode], l.Name, l.Type, l.Address.Line1, string.Empty, string.Empty, string.Empty,
                l.Address.Suburb, l.Address.State, l.Address.Postcode,
            ])),
            ["CRICOS Course Locations.csv"] = CsvWriter.Write(CourseLocationColumns, world.CricosCourses.Select(c =>
            {
                var location = locations[(c.ProviderCode, c.LocationName)];
                return (IReadOnlyList<string>)[c.ProviderCode, institutionName[c.ProviderCode], c.CourseCode, c.LocationName, location.Address.Suburb, location.Address.State];
            })),
        });
    }
}
