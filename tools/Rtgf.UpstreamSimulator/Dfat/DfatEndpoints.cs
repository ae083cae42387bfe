using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.Formats;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Dfat;

/// <summary>
/// DFAT's consolidated sanctions list: the landing page (link to the XLSX and "most recently updated on" text) and
/// the XLSX itself, one row per name, aliases as <c>{ref}a</c>, <c>{ref}b</c>, ….
/// </summary>
internal static class DfatEndpoints
{
    public const string PagePath = "/international-relations/security/sanctions/consolidated-list";
    public const string FilePath = "/sites/default/files/regulation8_consolidated.xlsx";

    public static readonly string[] Columns =
    [
        "Reference", "Name of Individual or Entity", "Type", "Name Type", "Alias Strength", "Date of Birth", "Place of Birth",
        "Citizenship", "Address", "Additional Information", "Listing Information", "IMO Number", "Committees", "Control Date",
        "Instrument of Designation", "Targeted Financial Sanction", "Travel Ban", "Arms Embargo", "Maritime Restriction",
    ];

    public static void Map(WebApplication app, SimulatedWorld world)
    {
        app.MapGet(PagePath, async (HttpContext context) =>
        {
            DateTimeOffset updated;
            lock (world.Gate)
            {
                updated = world.SanctionsUpdated;
            }

            var date = WebUtility.HtmlEncode(updated.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture));
            var html = $"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Consolidated List | Australian Government Department of Foreign Affairs and Trade</title></head>
                <body><main><h1>Consolidated List</h1>
                <p>The Consolidated List was most recently updated on {date}.</p>
                <ul><li><a href="{FilePath}">Consolidated List (XLSX)</a></li></ul>
                </main></body></html>
                """;
            await HttpDownload.SendTextAsync(context, html, "text/html; charset=utf-8").ConfigureAwait(false);
        });

        app.MapGet(FilePath, async (HttpContext context) =>
        {
            byte[] xlsx;
            DateTimeOffset updated;
            lock (world.Gate)
            {
                var drift = context.Features.Get<SchemaDriftFeature>() is not null;
                xlsx = drift ? Workbook(world, drift: true) : world.Cached("dfat.xlsx", () => Workbook(world, drift: false));
                updated = world.SanctionsUpdated;
            }

            await HttpDownload.SendAsync(context, xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", updated).ConfigureAwait(false);
        });
    }

    /// <summary>The workbook; drifted, the name column is headed <c>Name</c> and <c>Control Date</c> is gone.</summary>
    internal static byte[] Workbook(SimulatedWorld world, bool drift)
    {
        var header = drift
            ? Columns.Where(c => c != "Control Date").Select(c => c == "Name of Individual or Entity" ? "Name" : c).ToArray<object?>()
            : Columns.ToArray<object?>();
        var rows = new List<IReadOnlyList<object?>> { header };
        foreach (var party in world.Sanctions)
        {
            var names = new List<(string Reference, string Name, string NameType, string Strength)>
            {
                (party.Reference.ToString(CultureInfo.InvariantCulture), party.Name, "Primary Name", string.Empty),
            };
            for (var i = 0; i < party.Aliases.Count; i++)
            {
                names.Add((party.Reference.ToString(CultureInfo.InvariantCulture) + (char)('a' + i), party.Aliases[i], "Alias", i == 0 ? "Strong" : "Weak"));
            }

            foreach (var (reference, name, nameType, strength) in names)
            {
                // The primary row's reference is a number in the real file; alias references are text.
                object referenceCell = nameType == "Primary Name" ? party.Reference : reference;
                var row = new List<object?>
                {
                    referenceCell, name, party.Type, nameType, strength, party.DateOfBirth, party.PlaceOfBirth, party.Citizenship,
                    party.Address, party.AdditionalInformation, party.ListingInformation, null, party.Committees,
                    XlsxWriter.Serial(party.ControlDate), party.Instrument, party.TargetedFinancialSanction ? 1 : null,
                    party.TravelBan ? 1 : null, null, null,
                };
                if (drift)
                {
                    row.RemoveAt(13);
                }

                rows.Add(row);
            }
        }

        return XlsxWriter.Write("Sheet1", rows);
    }
}
