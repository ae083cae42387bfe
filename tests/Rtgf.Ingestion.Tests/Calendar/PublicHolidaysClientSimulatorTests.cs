using System.Net;
using Rtgf.Ingestion.Calendar;
using Rtgf.Ingestion.DataGovAu;
using Rtgf.Ingestion.Tests.Support;

namespace Rtgf.Ingestion.Tests.Calendar;

/// <summary>The holidays connector through the real outbound pipeline against the simulator: package_show, year files, changes and faults.</summary>
public sealed class PublicHolidaysClientSimulatorTests : IAsyncLifetime
{
    private SimulatorHarness _sim = null!;

    public async Task InitializeAsync() => _sim = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task Get_ReadsEveryYearFileInBothLayouts_NotTheCombinedFile()
    {
        var download = await _sim.Holidays.GetAsync();

        Assert.Equal([2019, 2024, 2025, 2026], download.Resources.Select(r => r.Year));
        Assert.All(download.Resources, r => Assert.EndsWith($"/download/australian_public_holidays_{r.Year}.csv", r.Url.AbsolutePath, StringComparison.Ordinal));
        Assert.All(download.Resources, r => Assert.NotNull(r.ETag));
        var keys = download.Holidays.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("holiday:NSW:2025-01-27", keys);
        Assert.Contains("holiday:QLD:2025-10-06", keys);
        Assert.Contains("holiday:WA:2025-09-29", keys);
        Assert.Contains("holiday:TAS:2019-01-01", keys); // the old file's NAT row, every state
        Assert.Contains("holiday:NSW:2024-01-01", keys); // the upper-case file
        Assert.Equal(download.Holidays.Select(h => h.Key).Order(StringComparer.Ordinal), download.Holidays.Select(h => h.Key));
        Assert.Equal(
            [.. new[] { 2019, 2024, 2025, 2026 }.SelectMany(y => _sim.World.Holidays.Rows(y)).Select(r => $"holiday:{r.Jurisdiction.ToUpperInvariant()}:{r.Date:yyyy-MM-dd}").Order(StringComparer.Ordinal)],
            keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task NewYearsResource_IsReadOnTheNextCall()
    {
        await _sim.PostAdminAsync("_sim/scenarios/holidays-new-year");

        var download = await _sim.Holidays.GetAsync();

        Assert.Equal(2027, download.Resources[^1].Year);
        Assert.Contains(download.Holidays, h => h.Key == "holiday:ACT:2027-03-26");
    }

    [Fact]
    public async Task BadDateInAFile_IsAFormatErrorNamingFileRowAndColumn()
    {
        await _sim.FaultAsync($"/data/dataset/{PublicHolidaysClient.DatasetId}/", "drift", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _sim.Holidays.GetAsync());

        Assert.Matches(@"^Holidays resource australian_public_holidays_2019\.csv \(resource [0-9a-f-]{36}\), row 2, column 'Date': '2019-01-01' is not a date in the form YYYYMMDD\.$", error.Message);
    }

    [Theory]
    [InlineData("/data/api/3/action/package_show", "503")]
    [InlineData("/data/dataset/", "500")]
    public async Task TransientFault_Once_IsRetried(string routePrefix, string mode)
    {
        var expected = (await _sim.Holidays.GetAsync()).Holidays;
        await _sim.FaultAsync(routePrefix, mode, count: 1);

        var actual = await _sim.DriveAsync(() => _sim.Holidays.GetAsync(), TimeSpan.FromSeconds(1));

        Assert.Equal(expected, actual.Holidays);
        Assert.Equal(0, await _sim.FaultsLeftAsync());
    }

    [Fact]
    public async Task UnknownDataset_FailsWithTheStatus()
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _sim.Holidays.GetAsync("no-such-dataset"));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public void NewestResourceOfAYear_Wins_OtherFilesAreSkipped()
    {
        static (CkanResource, Uri) File(string id, string url, DateTimeOffset? modified, DateTimeOffset? created) =>
            (new CkanResource(id, null, "CSV", url, modified, null, null, created), new Uri(url));
        var old = File("a", "https://data.gov.au/x/australian_public_holidays_2025.csv", new DateTimeOffset(2024, 11, 1, 0, 0, 0, TimeSpan.Zero), null);
        var corrected = File("b", "https://data.gov.au/y/Australian_Public_Holidays_2025.CSV", null, new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero));
        var combined = File("c", "https://data.gov.au/z/australian_public_holidays_combined_2021_2025.csv", null, null);

        var years = PublicHolidaysClient.SelectYears([old, corrected, combined]);

        Assert.Equal([(2025, "b")], years.Select(y => (y.Year, y.Resource.Id)));
    }

    [Fact]
    public async Task AResourceOffTheOrigin_IsRefusedAndNeverFetched_AResourceWithoutAUrlIsAFormatError()
    {
        // No request is sent: the URL is refused before it is fetched (the HttpClient has no server behind it).
        using var http = new HttpClient { BaseAddress = new Uri("https://data.gov.au/") };
        var ckan = new CkanClient(http);
        var foreign = new CkanResource("r", null, "CSV", "https://evil.example/australian_public_holidays_2025.csv", null, null, null);

        var refused = Assert.Throws<UpstreamOriginException>(() => ckan.ResourceUrl(foreign));
        var download = await Assert.ThrowsAsync<UpstreamOriginException>(() => ckan.DownloadAsync(new Uri("https://evil.example/a.csv"), PublicHolidaysClient.CsvOperation));
        var missing = Assert.Throws<UpstreamFormatException>(() => ckan.ResourceUrl(foreign with { Url = null }));

        Assert.Contains("'https://evil.example/australian_public_holidays_2025.csv' is not on the configured upstream https://data.gov.au", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'https://evil.example/a.csv' is not on the configured upstream", download.Message, StringComparison.Ordinal);
        Assert.Equal("CKAN resource r has no url.", missing.Message);
        Assert.Equal(new Uri("https://data.gov.au/data/dataset/d/resource/r/download/a.csv"), ckan.ResourceUrl(foreign with { Url = "/data/dataset/d/resource/r/download/a.csv" }));
    }

    [Fact]
    public async Task PackageShowDrift_IsAFormatErrorNamingTheField()
    {
        await _sim.FaultAsync("/data/api/3/action/package_show", "drift", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _sim.Holidays.GetAsync());

        Assert.Contains($"package_show {PublicHolidaysClient.DatasetId}: dataset {PublicHolidaysClient.DatasetId}: resources[0] has no 'id'", error.Message, StringComparison.Ordinal);
    }
}
