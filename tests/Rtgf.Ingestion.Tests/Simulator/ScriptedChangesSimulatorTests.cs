using System.Text.Json.Nodes;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Ingestion.Tga;

namespace Rtgf.Ingestion.Tests.Simulator;

/// <summary>The simulator's scenarios show up, exactly, in the next incremental fetch through the connectors.</summary>
public sealed class ScriptedChangesSimulatorTests : IAsyncLifetime
{
    private SimulatorHarness _sim = null!;

    public async Task InitializeAsync() => _sim = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task RtoCancelled_NextFetch_ReturnsOnlyThatRtoCancelledWithScopeEnded()
    {
        var before = await _sim.Soap.GetServerTimeAsync(TgaService.Organisation);

        var applied = Applied(await _sim.PostAdminAsync("_sim/scenarios/rto-cancelled"));
        var code = (string)applied["code"]!;
        var after = await _sim.Soap.GetServerTimeAsync(TgaService.Organisation);
        var today = DateOnly.FromDateTime(after.UtcDateTime);

        var changed = await _sim.Soap.SearchOrganisationsByModifiedDateAsync(before, after.AddSeconds(1));
        Assert.Equal([code], changed.Select(o => o.Code));
        Assert.False(changed[0].HasActiveRegistration);
        // The default connector reads the versioned service, so the status is TGA's own label, not null.
        var details = await _sim.Soap.GetOrganisationDetailsAsync(code);
        Assert.Equal("Cancelled", details.Rto.Status);
        Assert.Equal(today, details.Rto.RegistrationEnd);
        Assert.NotEmpty(details.Scopes);
        Assert.All(details.Scopes, s => Assert.True(s.EndDate <= today, $"{s.ComponentCode} still open after cancellation"));
        Assert.Contains(details.Scopes, s => s.EndDate == today);
    }

    [Fact]
    public async Task RtoCancelled_UnversionedService_SendsNoStatus()
    {
        // Why the default is versioned: the 2011 service's Rto carries no RegistrationStatus at all.
        var code = (string)Applied(await _sim.PostAdminAsync("_sim/scenarios/rto-cancelled"))["code"]!;

        var unversioned = _sim.CreateSoap("tga-soap-2011", organisationPath: "OrganisationService.svc/Organisation");
        var details = await unversioned.GetOrganisationDetailsAsync(code);

        Assert.Null(details.Rto.Status);
        Assert.Equal("Cancelled", (await _sim.Soap.GetOrganisationDetailsAsync(code)).Rto.Status);
    }

    [Fact]
    public async Task QualificationSuperseded_NextFetch_ReturnsOldAndSuccessorLinked()
    {
        var before = await _sim.Soap.GetServerTimeAsync(TgaService.TrainingComponent);

        var applied = Applied(await _sim.PostAdminAsync("_sim/scenarios/qualification-superseded"));
        var (code, successor) = ((string)applied["code"]!, (string)applied["by"]!);
        var after = await _sim.Soap.GetServerTimeAsync(TgaService.TrainingComponent);

        var changed = await _sim.Soap.SearchComponentsByModifiedDateAsync(before, after.AddSeconds(1), TrainingComponentTypeFilter.All);
        Assert.Equal(new[] { code, successor }.Order(StringComparer.Ordinal), changed.Select(c => c.Code));
        var old = await _sim.Soap.GetComponentDetailsAsync(code);
        Assert.Equal("Superseded", old.Status);
        Assert.Equal([successor], old.SupersededBy);
        var replacement = await _sim.Soap.GetComponentDetailsAsync(successor);
        Assert.Equal("Current", replacement.Status);
        Assert.Equal([code], replacement.Supersedes);
    }

    [Fact]
    public async Task ScopeRemoved_NextFetch_ReturnsRtoWithThatRowEnded()
    {
        var before = await _sim.Soap.GetServerTimeAsync(TgaService.Organisation);
        var rowsBefore = (await _sim.Soap.GetOrganisationDetailsAsync(Target())).Scopes;

        var applied = Applied(await _sim.PostAdminAsync("_sim/scenarios/scope-removed"));
        var (rtoCode, componentCode) = ((string)applied["rtoCode"]!, (string)applied["componentCode"]!);
        Assert.Equal(Target(), rtoCode);
        var after = await _sim.Soap.GetServerTimeAsync(TgaService.Organisation);

        var changed = await _sim.Soap.SearchOrganisationsByModifiedDateAsync(before, after.AddSeconds(1));
        Assert.Equal([rtoCode], changed.Select(o => o.Code));
        var rows = (await _sim.Soap.GetOrganisationDetailsAsync(rtoCode)).Scopes;
        var removed = Assert.Single(rows, r => r.ComponentCode == componentCode && r.EndDate == DateOnly.FromDateTime(after.UtcDateTime));
        Assert.Equal(rowsBefore.Count, rows.Count);
        // Every other row is unchanged; the removed one only gained its end date.
        Assert.Equal(rowsBefore.Select(Row).Where(r => r.ComponentCode != componentCode), rows.Select(Row).Where(r => r.ComponentCode != componentCode));
        Assert.Null(Assert.Single(rowsBefore, r => r.ComponentCode == componentCode).EndDate);
    }

    [Fact]
    public async Task SanctionAdded_NextDownload_HasExactlyOneMoreListing()
    {
        var before = await _sim.Dfat.GetListAsync(_sim.DfatXlsx);

        var applied = Applied(await _sim.PostAdminAsync("_sim/scenarios/sanction-added"));
        var after = await _sim.Dfat.GetListAsync(_sim.DfatXlsx);

        var added = Assert.Single(after.Listings, l => before.Listings.All(b => b.Reference != l.Reference));
        Assert.Equal(before.Listings.Count + 1, after.Listings.Count);
        Assert.Equal((string)applied["reference"]!, added.Reference);
        Assert.Equal("SCENARIO, Example Person", added.Name);
        Assert.Equal(["PERSON, Scenario Example"], added.Aliases);
    }

    private string Target() =>
        _sim.World.Rtos.Where(r => r.Deleted is null && r.Status == UpstreamSimulator.World.RtoStatus.Current && r.ScopeCount > 0)
            .OrderByDescending(r => r.Code, StringComparer.Ordinal).First().Code;

    private static (string ComponentCode, string? Extent, DateOnly? Start, DateOnly? End) Row(Rtgf.Ingestion.Records.ScopeRecord r) => (r.ComponentCode, r.Extent, r.StartDate, r.EndDate);

    private static JsonObject Applied(JsonObject answer) => Assert.Single(answer["applied"]!.AsArray())!.AsObject();
}
