using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Polly.Timeout;
using Rtgf.Ingestion.DataGovAu;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.UpstreamSimulator.Cricos;
using Rtgf.UpstreamSimulator.DataGovAu;

namespace Rtgf.Ingestion.Tests.DataGovAu;

/// <summary>The CKAN client through the real outbound pipeline against the simulated data.gov.au: shows, searches, paging, every fault.</summary>
public sealed class CkanClientSimulatorTests : IAsyncLifetime
{
    private const string ShowRoute = "/data/api/3/action/package_show";
    private const string SearchRoute = "/data/api/3/action/package_search";
    private CkanSimulator _ckan = null!;

    public async Task InitializeAsync() => _ckan = await CkanSimulator.StartAsync();

    public async Task DisposeAsync() => await _ckan.DisposeAsync();

    [Fact]
    public async Task PackageShow_Holidays_ResourcesWithoutHashes_FingerprintIsOfEmptyHashUrlModifiedAndSize()
    {
        var dataset = (await _ckan.Ckan.PackageShowAsync(DataGovAuCatalogue.HolidaysName))!;

        Assert.Equal((DataGovAuCatalogue.HolidaysId, DataGovAuCatalogue.HolidaysName, "pmc", "cc-by-4.0"), (dataset.Id, dataset.Name, dataset.Organisation, dataset.LicenseId));
        Assert.Equal(5, dataset.Resources.Count); // 2019, the combined file, the year before the clock's to the year after
        Assert.All(dataset.Resources, r => Assert.Null(r.Hash)); // CKAN's "" is no hash
        Assert.All(dataset.Resources, r => Assert.NotNull(r.Created));
        Assert.Null(dataset.Resources[^1].LastModified);
        var record = DatasetRecord.From(dataset, "dataset:" + DataGovAuCatalogue.HolidaysName);
        Assert.Equal(record.Resources.Select(r => r.Id).Order(StringComparer.Ordinal), record.Resources.Select(r => r.Id));
        foreach (var resource in record.Resources)
        {
            var modified = resource.LastModified?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture) ?? string.Empty;
            Assert.Equal(Sha256($"\n{resource.Url}\n{modified}\n{resource.Size!.Value.ToString(CultureInfo.InvariantCulture)}"), resource.Fingerprint);
        }

        Assert.Equal(5, record.Resources.Select(r => r.Fingerprint).Distinct().Count());
        var json = JsonNode.Parse(SnapshotJson.ToUtf8(record))!;
        Assert.Equal(DataGovAuCatalogue.HolidaysId, (string)json["id"]!);
        Assert.Equal("dataset:" + DataGovAuCatalogue.HolidaysName, (string)json["watch"]!);
        Assert.All(json["resources"]!.AsArray(), r => Assert.Null(r!["hash"]));
        Assert.Equal(record.Resources.Select(r => r.Fingerprint), json["resources"]!.AsArray().Select(r => (string)r!["fingerprint"]!));
    }

    [Fact]
    public async Task PackageShow_WithAHash_FingerprintIsOfTheHashAndTheFilesUrlModifiedAndSize()
    {
        var dataset = (await _ckan.Ckan.PackageShowAsync("cricos"))!;

        var resource = Assert.Single(DatasetRecord.From(dataset, "dataset:cricos").Resources);
        Assert.Equal(CricosEndpoints.ResourceId, resource.Id);
        Assert.NotNull(resource.Hash);
        var modified = resource.LastModified?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture) ?? string.Empty;
        Assert.Equal(Sha256($"{resource.Hash}\n{resource.Url}\n{modified}\n{resource.Size?.ToString(CultureInfo.InvariantCulture)}"), resource.Fingerprint);
    }

    [Fact]
    public async Task PackageShow_NotFoundEnvelope_IsNull_AndAWithdrawnDatasets403AuthorizationErrorToo()
    {
        Assert.Null(await _ckan.Ckan.PackageShowAsync("no-such-dataset"));
        Assert.NotNull(await _ckan.Ckan.PackageShowAsync(DataGovAuCatalogue.NcverFundedId));

        await _ckan.Sim.PostAdminAsync("_sim/scenarios/dataset-withdrawn");

        Assert.Null(await _ckan.Ckan.PackageShowAsync(DataGovAuCatalogue.NcverFundedId));
    }

    [Fact]
    public async Task PackageShow_ResourceUpdated_HashedAndHashlessFingerprintsBothMove()
    {
        var before = await FingerprintsAsync();
        var applied = await _ckan.Sim.PostAdminAsync("_sim/scenarios/dataset-resource-updated");
        var after = await FingerprintsAsync();

        var changed = applied["applied"]!.AsArray().Select(a => (string)a!["resource"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(before.Keys, after.Keys);
        Assert.Equal(changed, before.Keys.Where(k => before[k] != after[k]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PackageSearch_PagedByTwoOrThree_IsTheSameAsOneBigPage()
    {
        var small = new CkanClient(_ckan.Client("datagovau-pages"), pageSize: 2);
        var tiny = new CkanClient(_ckan.Client("datagovau-pages-3"), pageSize: 3);

        var all = await _ckan.Ckan.PackageSearchAsync("*:*");
        var paged = await small.PackageSearchAsync("*:*");
        var ncver = await tiny.PackageSearchAsync("NCVER");
        var filtered = await small.PackageSearchAsync("*:*", "organization:ncver");

        Assert.Equal(6, all.Count);
        Assert.Equal(all.Select(d => d.Id), paged.Select(d => d.Id));
        Assert.Equal([DataGovAuCatalogue.NcverFundedId, DataGovAuCatalogue.NcverStudentsId], ncver.Select(d => d.Id));
        Assert.Equal(ncver.Select(d => d.Id), filtered.Select(d => d.Id));
        Assert.Contains(all, d => d.Id == CricosEndpoints.DatasetId);
    }

    [Fact]
    public async Task PackageSearch_RefusedFilter_409Envelope_IsAFormatErrorNamingTheType()
    {
        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _ckan.Ckan.PackageSearchAsync("x", "res_format:CSV"));

        Assert.Contains("Search Query Error", error.Message, StringComparison.Ordinal);
        Assert.Contains("fq='res_format:CSV'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("429")]
    [InlineData("503")]
    [InlineData("500")]
    [InlineData("truncated")]
    public async Task TransientFault_Once_RetriedAndTheWholeAnswerReturned(string mode)
    {
        var expected = await _ckan.Ckan.PackageSearchAsync("NCVER");
        await _ckan.Sim.FaultAsync(SearchRoute, mode, count: 1);
        await _ckan.Sim.FaultAsync(ShowRoute, mode, count: 1);

        var found = await _ckan.Sim.DriveAsync(() => _ckan.Ckan.PackageSearchAsync("NCVER"), TimeSpan.FromSeconds(1));
        var shown = await _ckan.Sim.DriveAsync(() => _ckan.Ckan.PackageShowAsync(DataGovAuCatalogue.HolidaysId), TimeSpan.FromSeconds(1));

        Assert.Equal(0, await _ckan.Sim.FaultsLeftAsync());
        Assert.Equal(expected.Select(d => (d.Id, d.Resources.Count)), found.Select(d => (d.Id, d.Resources.Count)));
        Assert.Equal(5, shown!.Resources.Count);
    }

    [Fact]
    public async Task ServerError_EveryAttempt_FailsWithTheStatus()
    {
        await _ckan.Sim.FaultAsync(ShowRoute, "500", count: 3);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _ckan.Sim.DriveAsync(() => _ckan.Ckan.PackageShowAsync("cricos"), TimeSpan.FromSeconds(1)));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(0, await _ckan.Sim.FaultsLeftAsync());
    }

    [Fact]
    public async Task Malformed_IsAFormatErrorNamingTheAction()
    {
        await _ckan.Sim.FaultAsync(SearchRoute, "malformed", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _ckan.Ckan.PackageSearchAsync("NCVER"));

        Assert.Contains("package_search q='NCVER'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_ResourceWithoutId_IsAFormatErrorNamingDatasetAndField()
    {
        await _ckan.Sim.FaultAsync(ShowRoute, "drift", count: 1);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => _ckan.Ckan.PackageShowAsync(DataGovAuCatalogue.HolidaysId));

        Assert.Contains($"dataset {DataGovAuCatalogue.HolidaysId}: resources[0] has no 'id'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_FirstAttemptTimesOut_RetrySucceeds_EveryAttemptSlowFails()
    {
        var client = new CkanClient(_ckan.Client("datagovau-slow", attemptTimeout: TimeSpan.FromSeconds(2)));
        await _ckan.Sim.FaultAsync(ShowRoute, "slow", count: 1, delaySeconds: 30);

        var call = client.PackageShowAsync("cricos");
        Wait.Until(() => _ckan.Sim.FaultsLeftAsync().GetAwaiter().GetResult() == 0 && _ckan.Sim.Time.PendingTimers == 1, "the first attempt hangs in the simulator");
        _ckan.Sim.Time.Advance(TimeSpan.FromSeconds(2));
        Wait.Until(() => _ckan.Sim.Time.PendingTimers == 1, "the retry delay is scheduled");
        _ckan.Sim.Time.Advance(TimeSpan.FromSeconds(1));
        Wait.Until(() => call.IsCompleted, "the second attempt answers");
        Assert.Equal(CricosEndpoints.DatasetId, (await call)!.Id);

        await _ckan.Sim.FaultAsync(ShowRoute, "slow", count: 3, delaySeconds: 30);
        var failing = client.PackageShowAsync("cricos");
        for (var attempt = 3; attempt > 0; attempt--)
        {
            Wait.Until(() => _ckan.Sim.FaultsLeftAsync().GetAwaiter().GetResult() == attempt - 1 && _ckan.Sim.Time.PendingTimers == 1, $"attempt {4 - attempt} hangs");
            _ckan.Sim.Time.Advance(TimeSpan.FromSeconds(2));
            if (attempt > 1)
            {
                Wait.Until(() => _ckan.Sim.Time.PendingTimers == 1, "the retry delay is scheduled");
                _ckan.Sim.Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => failing);
    }

    [Fact]
    public async Task Redirect_ToAnotherHost_IsRefusedAndNotFollowed()
    {
        await _ckan.Sim.PostAdminAsync("_sim/faults", new JsonObject { ["routePrefix"] = ShowRoute, ["mode"] = "redirect", ["count"] = 1, ["target"] = "http://127.0.0.2:9/" });

        var error = await Assert.ThrowsAsync<UpstreamOriginException>(() => _ckan.Ckan.PackageShowAsync("cricos"));

        Assert.Contains("127.0.0.2:9", error.Message, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string>> FingerprintsAsync()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in new[] { DataGovAuCatalogue.NcverStudentsId, DataGovAuCatalogue.NcverFundedId, DataGovAuCatalogue.HolidaysId })
        {
            foreach (var resource in DatasetRecord.From((await _ckan.Ckan.PackageShowAsync(id))!, "t").Resources)
            {
                result.Add(resource.Id, resource.Fingerprint);
            }
        }

        return result;
    }

    private static string Sha256(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
