using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Ingestion.Tga;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Ingestion.Tests.Simulator;

/// <summary>TgaSoapClient through the outbound pipeline against the simulator's small world.</summary>
public sealed class TgaSoapClientSimulatorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Epoch = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private SimulatorHarness _sim = null!;

    public async Task InitializeAsync() => _sim = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task GetServerTime_BothServices_ReturnSimulatedClock()
    {
        Assert.Equal(_sim.World.Clock, await _sim.Soap.GetServerTimeAsync(TgaService.TrainingComponent));
        Assert.Equal(_sim.World.Clock, await _sim.Soap.GetServerTimeAsync(TgaService.Organisation));
    }

    [Fact]
    public async Task SearchComponentsByModifiedDate_WholeHistory_ReturnsEveryComponentOverSeveralPages()
    {
        var hits = await _sim.Soap.SearchComponentsByModifiedDateAsync(Epoch, _sim.World.Clock.AddDays(1), TrainingComponentTypeFilter.All);

        var expected = _sim.World.Components.Select(c => c.Code).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count > 7, "the small world must span several pages");
        Assert.Equal(expected, hits.Select(h => h.Code).ToList());
        var first = _sim.World.Components.First(c => c.Code == hits[0].Code);
        Assert.Equal(first.Title, hits[0].Title);
        Assert.Equal(first.Updated, hits[0].UpdatedDate);
    }

    [Fact]
    public async Task SearchComponentsByModifiedDate_QualificationsOnly_FiltersByType()
    {
        var hits = await _sim.Soap.SearchComponentsByModifiedDateAsync(Epoch, _sim.World.Clock.AddDays(1), new TrainingComponentTypeFilter(Qualification: true));

        var expected = _sim.World.Components.Where(c => c.Kind == ComponentKind.Qualification).Select(c => c.Code).Order(StringComparer.Ordinal);
        Assert.Equal(expected, hits.Select(h => h.Code));
        Assert.All(hits, h => Assert.Equal(["Qualification"], h.ComponentTypes));
    }

    [Fact]
    public async Task SearchDeleted_BothServices_ReturnWorldDeletions()
    {
        var components = await _sim.Soap.SearchDeletedComponentsAsync(Epoch, _sim.World.Clock.AddDays(1));
        var organisations = await _sim.Soap.SearchDeletedOrganisationsAsync(Epoch, _sim.World.Clock.AddDays(1));

        Assert.Equal(
            _sim.World.Components.Where(c => c.Deleted is not null).Select(c => c.Code).Order(StringComparer.Ordinal),
            components.Select(d => d.Code).Order(StringComparer.Ordinal));
        Assert.NotEmpty(components);
        Assert.Equal(
            _sim.World.Rtos.Where(r => r.Deleted is not null).Select(r => r.Code).Order(StringComparer.Ordinal),
            organisations.Select(d => d.Code).Order(StringComparer.Ordinal));
        Assert.NotEmpty(organisations);
        Assert.All(components, d => Assert.NotNull(d.UpdatedDate));
    }

    [Fact]
    public async Task GetComponentDetails_EveryKind_MatchesWorld()
    {
        foreach (var kind in Enum.GetValues<ComponentKind>())
        {
            var component = _sim.World.Components.Where(c => c.Kind == kind && c.Deleted is null).OrderBy(c => c.Code, StringComparer.Ordinal).First();

            var record = await _sim.Soap.GetComponentDetailsAsync(component.Code);

            Assert.Equal(component.Code, record.Code);
            Assert.Equal(component.Title, record.Title);
            Assert.Equal(component.Usage.ToString(), record.Status);
            Assert.Equal(component.ReleaseCount, record.Releases.Count);
            Assert.Equal(component.Updated, record.UpdatedDate);
            Assert.Equal(component.Supersedes is null ? [] : [component.Supersedes], record.Supersedes);
            Assert.Equal(component.SupersededBy is null ? [] : [component.SupersededBy], record.SupersededBy);
            Assert.Equal(
                [.. component.Anzsco is null ? Array.Empty<ClassificationRecord>() : [new ClassificationRecord(ClassificationRecord.AnzscoScheme, component.Anzsco, "1")],
                 .. component.QualificationLevel is null ? Array.Empty<ClassificationRecord>() : [new ClassificationRecord("05", component.QualificationLevel, "1")]],
                record.Classifications);
        }
    }

    [Fact]
    public async Task GetComponentDetails_Qualification_CarriesItsAnzscoOccupationFromTheWorld()
    {
        var qualification = _sim.World.Components.Where(c => c.Kind == ComponentKind.Qualification && c.Deleted is null).OrderBy(c => c.Code, StringComparer.Ordinal).First();
        Assert.NotNull(qualification.Anzsco);
        Assert.Contains(_sim.World.Occupations, o => o.Code == qualification.Anzsco);

        var record = await _sim.Soap.GetComponentDetailsAsync(qualification.Code);

        var anzsco = Assert.Single(record.Classifications, c => c.Scheme == ClassificationRecord.AnzscoScheme);
        Assert.Equal(qualification.Anzsco, anzsco.Value);
        Assert.Matches("^[0-9]{6}$", anzsco.Value);
    }

    [Fact]
    public async Task GetOrganisationDetails_CurrentAndCancelled_MatchWorldWithScopeRows()
    {
        foreach (var rto in _sim.World.Rtos.Where(r => r.Deleted is null).OrderBy(r => r.Code, StringComparer.Ordinal).Take(6))
        {
            var details = await _sim.Soap.GetOrganisationDetailsAsync(rto.Code);

            Assert.Equal(rto.Code, details.Rto.Code);
            Assert.Equal(rto.LegalName, details.Rto.LegalName);
            Assert.Equal(rto.Abn, details.Rto.Abn);
            Assert.Equal([rto.TradingName], details.Rto.TradingNames);
            Assert.Equal(rto.RegistrationManager, details.Rto.RegistrationManager);
            Assert.Equal(rto.RegistrationStart, details.Rto.RegistrationStart);
            Assert.Equal(rto.RegistrationEnd, details.Rto.RegistrationEnd);
            Assert.Equal(rto.Updated, details.Rto.UpdatedDate);
            Assert.Equal(Rtgf.UpstreamSimulator.Tga.OrganisationSoapService.StatusLabel(rto.Status), details.Rto.Status);
            var address = new RtoAddress("1101", rto.Address.Line1, null, rto.Address.Postcode, rto.Address.State, rto.Address.Suburb);
            Assert.Equal([address], details.Rto.Locations);
            var contact = Assert.Single(details.Rto.Contacts);
            Assert.Equal(
                new RtoContact(rto.Email, rto.ContactFirstName, "Chief Executive Officer", rto.ContactLastName, rto.LegalName, rto.Phone, address, "ChiefExecutive", "1"),
                contact);
            var rows = _sim.World.ScopeOf(rto).ToArray();
            Assert.Equal(rows.Length, details.Scopes.Count);
            var expected = rows.Select(r => (_sim.World.Components[r.Component].Code, "0" + r.Extent.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Start, r.End))
                .OrderBy(r => r.Code, StringComparer.Ordinal).ThenBy(r => r.Start);
            Assert.Equal(expected, details.Scopes.Select(s => (s.ComponentCode, s.Extent!, s.StartDate!.Value, s.EndDate)));
            Assert.All(details.Scopes, s => Assert.Equal(rto.Code, s.OrganisationCode));
        }
    }
}
