using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rtgf.UpstreamSimulator.Calendar;

namespace Rtgf.UpstreamSimulator.DataGovAu;

/// <summary>A CKAN dataset of the simulated data.gov.au catalogue (CRICOS is served from the world instead, see <see cref="DataGovAuEndpoints"/>).</summary>
internal sealed class CatalogueDataset(string id, string name, string title, string notes, string organisation, string organisationTitle, DateTimeOffset created)
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public string Title { get; } = title;

    public string Notes { get; } = notes;

    public string Organisation { get; } = organisation;

    public string OrganisationTitle { get; } = organisationTitle;

    public DateTimeOffset Created { get; } = created;

    public DateTimeOffset Modified { get; set; } = created;

    /// <summary>Withdrawn (CKAN's soft delete): package_show answers 403 Authorization Error and searches no longer find it.</summary>
    public bool Withdrawn { get; set; }

    public List<CatalogueResource> Resources { get; } = [];
}

/// <summary>A resource (file) of a catalogue dataset; <see cref="Hash"/> and <see cref="LastModified"/> are often empty upstream.</summary>
internal sealed class CatalogueResource(string id, string name, string format, DateTimeOffset created, DateTimeOffset? lastModified, string? hash, long size)
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public string Format { get; } = format;

    public DateTimeOffset Created { get; } = created;

    public DateTimeOffset? LastModified { get; set; } = lastModified;

    public string? Hash { get; set; } = hash;

    public long Size { get; set; } = size;
}

/// <summary>
/// The small, deterministic data.gov.au catalogue the simulator serves beside CRICOS: the public holidays dataset (no
/// hashes; one CSV a year — the old-layout 2019 file and the year before the clock's to the year after — plus the combined
/// multi-year file, which is not served), two NCVER datasets (one with hashes, one without), AusTender's contract notice
/// export and an unrelated dataset searches must not find. It owns every dataset's resources, the holidays' included:
/// <see cref="Calendar.HolidayDataset"/> reads the year files from here and writes their CSV content. Change it under
/// the world's gate.
/// </summary>
internal sealed class DataGovAuCatalogue
{
    public const string HolidaysId = "b1bc6077-dadd-4f61-9f8c-002ab2cdff10";
    public const string HolidaysName = "australian-holidays-machine-readable-dataset";
    public const string HolidaysCombinedResourceId = "33673aca-0857-42e5-b8f0-9981b4755686";
    public const string NcverStudentsId = "3f1b2c4d-0a6e-4c1f-9e55-0c7e40000001";
    public const string NcverFundedId = "5d7e9f10-2b3c-4d8e-8f66-0c7e40000002";
    public const string AusTenderId = "8a9b0c1d-4e5f-4a6b-9c7d-a05e0de00001";
    public const string RainfallId = "c2d3e4f5-6a7b-4c8d-9e0f-b0b000000001";

    public DataGovAuCatalogue(DateTimeOffset clock)
    {
        var created = new DateTimeOffset(clock.Year - 4, 1, 15, 0, 0, 0, TimeSpan.Zero);
        var holidays = new CatalogueDataset(
            HolidaysId, HolidaysName, "Australian Public Holidays Dates Machine Readable Dataset",
            "Public holidays of every state and territory, one CSV a year. The dataset is no longer maintained.",
            "pmc", "Department of the Prime Minister and Cabinet", Published(HolidayDataset.OldLayoutYear, clock));
        holidays.Resources.Add(HolidaysResource(HolidayDataset.OldLayoutYear, clock));
        var combinedCreated = Min(new DateTimeOffset(2024, 11, 1, 0, 0, 0, TimeSpan.Zero), clock.AddDays(-30));
        holidays.Resources.Add(new CatalogueResource(HolidaysCombinedResourceId, "australian-public-holidays-combined-2021-2025.csv", "CSV", combinedCreated, lastModified: null, hash: null, 65_536));
        for (var year = Math.Max(clock.Year - 1, HolidayDataset.OldLayoutYear + 1); year <= clock.Year + 1; year++)
        {
            holidays.Resources.Add(HolidaysResource(year, clock));
        }

        holidays.Modified = clock.AddDays(-30);
        var students = new CatalogueDataset(
            NcverStudentsId, "ncver-total-vet-students-and-courses", "NCVER Total VET students and courses",
            "NCVER's annual count of students in vocational education and training and the courses they enrolled in.",
            "ncver", "National Centre for Vocational Education Research", created);
        students.Resources.Add(new CatalogueResource(ResourceId("ncver-students-2024"), "Total VET students and courses 2024 (XLSX)", "XLSX", created, clock.AddDays(-60), Hash("students-2024"), 81_920));
        students.Resources.Add(new CatalogueResource(ResourceId("ncver-students-2023"), "Total VET students and courses 2023 (XLSX)", "XLSX", created, clock.AddDays(-400), Hash("students-2023"), 79_872));
        students.Modified = clock.AddDays(-60);
        var funded = new CatalogueDataset(
            NcverFundedId, "ncver-government-funded-students", "NCVER Government-funded students and courses",
            "Government-funded vocational education and training: students, programs and subjects.",
            "ncver", "National Centre for Vocational Education Research", created);
        funded.Resources.Add(new CatalogueResource(ResourceId("ncver-funded-2024"), "Government-funded students 2024 (CSV)", "CSV", created, clock.AddDays(-90), hash: null, 40_960));
        funded.Resources.Add(new CatalogueResource(ResourceId("ncver-funded-notes"), "Explanatory notes (PDF)", "PDF", created, lastModified: null, hash: null, 12_288));
        funded.Modified = clock.AddDays(-90);
        var tenders = new CatalogueDataset(
            AusTenderId, "austender-contract-notice-export", "AusTender contract notice export",
            "Contract notices published on AusTender, exported monthly.",
            "finance", "Department of Finance", created);
        tenders.Resources.Add(new CatalogueResource(ResourceId("austender-export"), "Contract notices (CSV)", "CSV", created, clock.AddDays(-10), Hash("austender-export"), 204_800));
        tenders.Modified = clock.AddDays(-10);
        var rainfall = new CatalogueDataset(
            RainfallId, "bom-monthly-rainfall", "Monthly rainfall by station",
            "Rainfall observations, unrelated to training: a search for the watch list must not find it.",
            "bom", "Bureau of Meteorology", created);
        rainfall.Resources.Add(new CatalogueResource(ResourceId("bom-rainfall"), "Monthly rainfall (CSV)", "CSV", created, clock.AddDays(-2), Hash("rainfall"), 1_024));
        rainfall.Modified = clock.AddDays(-2);
        Datasets = [holidays, students, funded, tenders, rainfall];
    }

    public List<CatalogueDataset> Datasets { get; }

    /// <summary>A dataset by id or slug (withdrawn ones too).</summary>
    public CatalogueDataset? Find(string idOrName) =>
        Datasets.FirstOrDefault(d => string.Equals(d.Id, idOrName, StringComparison.Ordinal) || string.Equals(d.Name, idOrName, StringComparison.Ordinal));

    public CatalogueDataset Get(string idOrName) =>
        Find(idOrName) is { Withdrawn: false } dataset ? dataset : throw new SimulatorException($"No dataset '{idOrName}' in the data.gov.au catalogue (or it was withdrawn).");

    /// <summary>A resource's file is replaced: a new <c>last_modified</c>, and a new hash where it had one.</summary>
    public CatalogueResource UpdateResource(string dataset, string? resourceId, DateTimeOffset at)
    {
        var d = Get(dataset);
        var resource = resourceId is null ? d.Resources.OrderBy(r => r.Id, StringComparer.Ordinal).First()
            : d.Resources.FirstOrDefault(r => r.Id == resourceId) ?? throw new SimulatorException($"Dataset '{dataset}' has no resource '{resourceId}'.");
        resource.LastModified = at;
        resource.Size += 1_024;
        if (resource.Hash is not null)
        {
            resource.Hash = Hash(resource.Id + "@" + at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        d.Modified = at;
        return resource;
    }

    /// <summary>A new resource id appears: the next year's holidays CSV, or a new file in any other dataset.</summary>
    public CatalogueResource AddResource(string dataset, DateTimeOffset at)
    {
        var d = Get(dataset);
        CatalogueResource resource;
        if (d.Id == HolidaysId)
        {
            var next = d.Resources.Select(r => HolidaysYear(r.Name)).Max() + 1 ?? throw new SimulatorException("The holidays dataset has no year file.");
            resource = new CatalogueResource(ResourceId("holidays-" + next.ToString(CultureInfo.InvariantCulture)), HolidaysFileName(next), "CSV", at, at, hash: null, HolidaysSize(next));
        }
        else
        {
            var n = d.Resources.Count + 1;
            resource = new CatalogueResource(ResourceId($"{d.Name}-{n}"), $"{d.Title} part {n} (CSV)", "CSV", at, at, Hash($"{d.Name}-{n}"), 2_048);
        }

        d.Resources.Add(resource);
        d.Modified = at;
        return resource;
    }

    public CatalogueDataset Withdraw(string dataset)
    {
        var d = Get(dataset);
        d.Withdrawn = true;
        return d;
    }

    public static string HolidaysFileName(int year) => $"australian_public_holidays_{year.ToString(CultureInfo.InvariantCulture)}.csv";

    /// <summary>The year of a holidays year file (<c>australian_public_holidays_{yyyy}.csv</c>), or null for any other name.</summary>
    public static int? HolidaysYear(string name) =>
        name.Length == HolidaysFileName(2000).Length && name.StartsWith("australian_public_holidays_", StringComparison.Ordinal) && name.EndsWith(".csv", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan("australian_public_holidays_".Length, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            ? year
            : null;

    /// <summary>
    /// A year file as first published: on 1 November of the year before (or a month before the clock, never in its
    /// future); replaced three days later, except the next year's, which CKAN shows with no <c>last_modified</c>.
    /// </summary>
    private static CatalogueResource HolidaysResource(int year, DateTimeOffset clock)
    {
        var created = Published(year, clock);
        return new(ResourceId("holidays-" + year.ToString(CultureInfo.InvariantCulture)), HolidaysFileName(year), "CSV", created, year > clock.Year ? null : created.AddDays(3), hash: null, HolidaysSize(year));
    }

    private static DateTimeOffset Published(int year, DateTimeOffset clock) => Min(new DateTimeOffset(year - 1, 11, 1, 0, 0, 0, TimeSpan.Zero), clock.AddDays(-30));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static long HolidaysSize(int year) => 4_096 + (year % 100);

    /// <summary>A stable uuid-shaped id from a name (so every run of the simulator serves the same ids).</summary>
    internal static string ResourceId(string seed)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("datagovau:" + seed)));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    private static string Hash(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hash:" + seed)))[..40];
}
