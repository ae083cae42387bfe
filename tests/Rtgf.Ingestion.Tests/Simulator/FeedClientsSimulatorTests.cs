using System.Globalization;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Ingestion.Tests.Simulator;

/// <summary>TGA REST, CRICOS, TEQSA and DFAT clients through the outbound pipeline against the simulator's small world.</summary>
public sealed class FeedClientsSimulatorTests : IAsyncLifetime
{
    private SimulatorHarness _sim = null!;

    public async Task InitializeAsync() => _sim = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task TgaRest_MetadataSearchAndScope_MatchWorld()
    {
        var metadata = await _sim.Rest.GetMetadataAsync();
        Assert.NotNull(metadata.DataExportSynchronisationDateTime);

        var qualification = _sim.World.Components.Where(c => c.Kind == ComponentKind.Qualification && c.Deleted is null).OrderBy(c => c.Code, StringComparer.Ordinal).First();
        var hits = await _sim.Rest.SearchTrainingAsync(qualification.Code);
        var hit = Assert.Single(hits, h => h.Code == qualification.Code);
        Assert.Equal(qualification.Title, hit.Title);

        var rto = _sim.World.Rtos.Where(r => r.Deleted is null).OrderByDescending(r => r.ScopeCount).ThenBy(r => r.Code, StringComparer.Ordinal).First();
        var scope = await _sim.Rest.GetOrganisationScopeAsync(rto.Code);
        var rows = _sim.World.ScopeOf(rto).ToArray();
        Assert.Equal(
            rows.Select(r => (_sim.World.Components[r.Component].Code, r.Start, r.End)).OrderBy(r => r.Code, StringComparer.Ordinal).ThenBy(r => r.Start),
            scope.Select(s => (s.ComponentCode, s.StartDate!.Value, s.EndDate)));
        Assert.All(scope, s => Assert.NotNull(s.Extent));
    }

    [Fact]
    public async Task Cricos_Zip_ProvidersCoursesAndLocationsMatchWorld()
    {
        var snapshot = await _sim.Cricos.GetSnapshotAsync(_sim.CricosZip);

        Assert.Equal(_sim.World.CricosProviders.Select(p => p.Code).Order(StringComparer.Ordinal), snapshot.Providers.Select(p => p.ProviderCode));
        Assert.Equal(_sim.World.CricosCourses.Count, snapshot.Courses.Count);
        Assert.Equal(_sim.World.CricosLocations.Count, snapshot.Locations.Count);
        var provider = _sim.World.CricosProviders.OrderBy(p => p.Code, StringComparer.Ordinal).First();
        Assert.Equal(provider.InstitutionName, snapshot.Providers[0].InstitutionName);
        Assert.Equal(provider.Capacity, snapshot.Providers[0].Capacity);
        var course = _sim.World.CricosCourses.OrderBy(c => c.ProviderCode, StringComparer.Ordinal).ThenBy(c => c.CourseCode, StringComparer.Ordinal).First();
        var parsed = snapshot.Courses.Single(c => c.ProviderCode == course.ProviderCode && c.CourseCode == course.CourseCode);
        Assert.Equal(course.Name, parsed.CourseName);
        Assert.Equal(course.TuitionFee, parsed.TuitionFee);
        Assert.Equal(course.DurationWeeks, parsed.DurationWeeks);
        Assert.Equal(course.Expired, parsed.Expired);
    }

    [Fact]
    public async Task Teqsa_RegisterAndProviderPages_MatchWorld()
    {
        var links = await _sim.Teqsa.GetProviderLinksAsync();

        Assert.Equal(_sim.World.TeqsaProviders.Count, links.Count);
        foreach (var link in links)
        {
            var record = await _sim.Teqsa.GetProviderAsync(link);
            var provider = _sim.World.TeqsaProviders.Single(p => p.ProviderId == record.ProviderId);
            Assert.Equal(provider.Name, record.Name);
            Assert.Equal(provider.Abn, record.Abn);
            Assert.Equal(provider.Status, record.Status);
            Assert.Equal(provider.RegistrationExpiry, record.RegistrationExpiry);
            Assert.Equal(provider.Courses.Count, record.Courses.Count);
        }
    }

    [Fact]
    public async Task Dfat_Xlsx_ListingsMatchWorld()
    {
        var list = await _sim.Dfat.GetListAsync(_sim.DfatXlsx);

        Assert.Equal(_sim.World.Sanctions.Count, list.Listings.Count);
        foreach (var party in _sim.World.Sanctions)
        {
            var listing = list.Listings.Single(l => l.Reference == party.Reference.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(party.Name, listing.Name);
            Assert.Equal(party.Type, listing.Type);
            Assert.Equal(party.Aliases.Order(StringComparer.Ordinal), listing.Aliases.Order(StringComparer.Ordinal));
            Assert.Equal(party.ControlDate, listing.ControlDate);
            Assert.Equal(party.Committees, listing.Committees);
        }
    }
}
