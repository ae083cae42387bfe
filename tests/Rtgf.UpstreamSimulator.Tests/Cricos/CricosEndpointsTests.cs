using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.UpstreamSimulator.Cricos;

namespace Rtgf.UpstreamSimulator.Tests.Cricos;

public sealed class CricosEndpointsTests
{
    internal static async Task<(JsonObject Resource, byte[] Zip)> DownloadAsync(HttpClient http)
    {
        var package = JsonNode.Parse(await http.GetStringAsync("data/api/3/action/package_show?id=cricos"))!;
        Assert.True(package["success"]!.GetValue<bool>());
        var resource = package["result"]!["resources"]![0]!.AsObject();
        return (resource, await http.GetByteArrayAsync(resource["url"]!.GetValue<string>()));
    }

    internal static Dictionary<string, string[]> Csvs(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var reader = new StreamReader(e.Open(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        });
    }

    [Fact]
    public async Task PackageShow_PointsAtAZipOfTheFourDocumentedCsvsWithDocumentedHeaders()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        var (resource, zip) = await DownloadAsync(http);

        Assert.Equal("ZIP", resource["format"]!.GetValue<string>());
        var csvs = Csvs(zip);
        Assert.Equal(["CRICOS Course Locations.csv", "CRICOS Courses.csv", "CRICOS Institutions.csv", "CRICOS Locations.csv"], csvs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("CRICOS Provider Code,Trading Name,Institution Name,Institution Type,Institution Capacity,Website,Postal Address Line 1,Postal Address Line 2,Postal Address Line 3,Postal Address Line 4,Postal Address City,Postal Address State,Postal Address Postcode", csvs["CRICOS Institutions.csv"][0]);
        Assert.StartsWith("CRICOS Provider Code,Institution Name,CRICOS Course Code,Course Name,VET National Code,Dual Qualification,Field of Education 1 Broad Field,", csvs["CRICOS Courses.csv"][0], StringComparison.Ordinal);
        Assert.EndsWith(",Tuition Fee,Non Tuition Fee,Estimated Total Course Cost,Expired", csvs["CRICOS Courses.csv"][0], StringComparison.Ordinal);
        Assert.Equal("CRICOS Provider Code,Institution Name,Location Name,Location Type,Address Line 1,Address Line 2,Address Line 3,Address Line 4,City,State,Postcode", csvs["CRICOS Locations.csv"][0]);
        Assert.Equal("CRICOS Provider Code,Institution Name,CRICOS Course Code,Location Name,Location City,Location State", csvs["CRICOS Course Locations.csv"][0]);
        Assert.Equal(server.World.CricosProviders.Count + 1, csvs["CRICOS Institutions.csv"].Length);
        Assert.Matches("^[0-9]{5}[A-Z]$", csvs["CRICOS Institutions.csv"][1].Split(',')[0]);
        Assert.Contains(csvs["CRICOS Courses.csv"].Skip(1), row => System.Text.RegularExpressions.Regex.IsMatch(row.Split(',')[4], "^[A-Z]{3}[0-9]{5}$"));
    }

    [Fact]
    public async Task Download_IsUtf8WithBom_AndByteIdenticalAcrossRequests()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        var (resource, first) = await DownloadAsync(http);
        var second = await http.GetByteArrayAsync(resource["url"]!.GetValue<string>());

        Assert.Equal(first, second);
        using var archive = new ZipArchive(new MemoryStream(first));
        using var stream = archive.GetEntry("CRICOS Courses.csv")!.Open();
        var bom = new byte[3];
        stream.ReadExactly(bom);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bom);
        Assert.All(archive.Entries, e => Assert.Equal(1980, e.LastWriteTime.Year));
    }

    [Fact]
    public async Task ExpireCourse_ChangesLastModifiedHashAndTheExpiredCell()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        var (before, _) = await DownloadAsync(http);

        using var scenario = await http.PostAsync("_sim/scenarios/cricos-course-expired", null);
        var code = JsonNode.Parse(await scenario.Content.ReadAsStringAsync())!["applied"]![0]!["code"]!.GetValue<string>();
        var (after, zip) = await DownloadAsync(http);

        Assert.NotEqual(before["hash"]!.GetValue<string>(), after["hash"]!.GetValue<string>());
        Assert.NotEqual(before["last_modified"]!.GetValue<string>(), after["last_modified"]!.GetValue<string>());
        var row = Csvs(zip)["CRICOS Courses.csv"].Single(r => r.Contains("," + code + ",", StringComparison.Ordinal));
        Assert.EndsWith(",Yes", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackageShow_UnknownDataset_Is404InCkanShape()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        using var response = await http.GetAsync("data/api/3/action/package_show?id=nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["success"]!.GetValue<bool>());
        Assert.Equal("e5ae2a58-700f-4748-b6bd-f86eaf33f4e2", CricosEndpoints.DatasetId);
    }
}
