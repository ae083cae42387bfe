using System.Globalization;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Tga;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>The scope of a large organisation spans several chunk rows; counts and reads are per scope record.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TgaMirrorTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Modified = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private IngestHarness _h = null!;

    public async Task InitializeAsync() => _h = await IngestHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ApplyOrganisation_ScopeOverSeveralChunks_CountsAndReadsEveryRecord()
    {
        var scope = Scope(2 * TgaMirror.ScopeChunkSize + 500);
        Assert.Equal(1 + scope.Count, await _h.Mirror.ApplyOrganisationAsync(Details(scope, Modified), Modified, "run-1"));

        var rows = (await _h.RowsAsync(IngestTables.TgaScope)).Values.ToList();
        Assert.Equal(3, rows.Count);
        var stored = await _h.Mirror.ReadScopeAsync("90001");
        Assert.Equal(scope.Select(s => s.Key).Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));

        // The same scope again changes nothing; one record ended and one dropped change exactly two.
        Assert.Equal(0, await _h.Mirror.ApplyOrganisationAsync(Details(scope, Modified), Modified, "run-2"));
        var later = Modified.AddDays(1);
        var changed = scope.Skip(1).Select((s, i) => i == 1500 ? s with { EndDate = new DateOnly(2026, 11, 2) } : s).ToList();
        Assert.Equal(1 + 2, await _h.Mirror.ApplyOrganisationAsync(Details(changed, later), later, "run-3"));
        stored = await _h.Mirror.ReadScopeAsync("90001");
        Assert.Equal(scope.Count - 1, stored.Count);
        Assert.DoesNotContain(scope[0].Key, stored.Keys);
        Assert.Contains("\"endDate\":\"2026-11-02\"", stored[changed[1500].Key], StringComparison.Ordinal);

        // The snapshot reads every record back; deleting the organisation removes them all.
        var keys = new List<string>();
        await foreach (var record in _h.Mirror.ReadRecordsAsync())
        {
            keys.Add(record.Key);
        }

        Assert.Equal(scope.Count - 1 + 1, keys.Count);
        Assert.Equal(1 + scope.Count - 1, await _h.Mirror.DeleteOrganisationAsync("90001", later.AddDays(1), later, "run-4"));
        Assert.Empty(await _h.RowsAsync(IngestTables.TgaScope));
    }

    private static OrganisationDetails Details(IReadOnlyList<ScopeRecord> scope, DateTimeOffset updated) =>
        new(new RtoRecord("90001", "Large Provider Pty Ltd", "12345678901", [], "Current", "ASQA", new DateOnly(2020, 1, 1), new DateOnly(2030, 1, 1), updated), scope);

    private static List<ScopeRecord> Scope(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ScopeRecord(
            "90001", "UNIT" + i.ToString("D5", CultureInfo.InvariantCulture), ["Unit"], "01", false, false, null, new DateOnly(2021, 1, 1), null))];
}
