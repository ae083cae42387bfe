using System.Text.Json;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Radar;

namespace Rtgf.Pipeline.Tests.Radar;

/// <summary>
/// The JSON contract between the sources and the radar, with the real writers: snapshots of the records tender-sync
/// (<see cref="ContractNoticeRecord"/>, <see cref="TenderRecord"/>) and magda-monitor (<see cref="DatasetRecord"/>) write,
/// cut by the real <see cref="SnapshotBuilder"/>, diffed by the radar. A member renamed or a value format changed on
/// either side fails here rather than silently raising nothing.
/// </summary>
public sealed class RadarContractTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 0, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<RadarItem> Derive(string source, IEnumerable<ISnapshotRecord> before, IEnumerable<ISnapshotRecord> after)
    {
        var from = SnapshotBuilder.Build(source, source + "-1", Day0, [], before);
        var to = SnapshotBuilder.Build(source, source + "-2", Day0.AddDays(1), [], after);
        return RadarRules.Derive(new RadarStep(3, At, source, to.Manifest.Digest), from.Records, to.Records);
    }

    /// <summary>
    /// A contract notice as tender-sync stores it, made by the record's own reader from its stored JSON (so new members
    /// on the record do not break this test) and written back by its writer: instants as <c>…T00:00:00Z</c>, the value
    /// as invariant text. <c>rtoCodes</c> are the suppliers' RTOs only (a buyer that is an RTO is not an award to it).
    /// </summary>
    private static ContractNoticeRecord Contract(string id, string release, string[] rtoCodes, params string[] amendments)
    {
        var json = $$"""
            {"amendments":[{{string.Join(",", amendments.Select(a => $$"""{"date":"2026-02-01T00:00:00Z","id":"{{a}}","releaseId":"{{release}}"}"""))}}],
             "buyer":{"abn":"12345678901","name":"Department of Employment and Workplace Relations"},"categories":["86101700"],
             "contractId":"{{id}}","currency":"AUD","dateSigned":"2026-01-15T00:00:00Z","description":"Foundation skills training",
             "endDate":"2027-01-14T00:00:00Z","lastModified":"2026-01-16T03:04:05Z","ocid":"ocds-dhfprg-{{id}}","procurementMethod":"limited",
             "releaseId":"{{release}}","rtoCodes":[{{string.Join(",", rtoCodes.Select(c => $"\"{c}\""))}}],"startDate":"2026-01-15T00:00:00Z",
             "suppliers":[{"abn":"98765432109","name":"Example Training Pty Ltd"}],"title":"Foundation skills {{id}}","value":"125000.5"}
            """;
        using var document = JsonDocument.Parse(json);
        return ContractNoticeRecord.Read(document.RootElement);
    }

    private static TenderRecord Tender(string atmId, string category) =>
        new(atmId, "VET delivery panel " + atmId, "Department of Employment and Workplace Relations", [category],
            new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 30, 4, 0, 0, TimeSpan.Zero),
            "https://www.tenders.gov.au/Atm/Show/" + atmId, "Approach to market");

    private static DatasetRecord Dataset(string id, string title, string? hash, DateTimeOffset modified) =>
        new(id, id, title, "NCVER", modified, "cc-by-4.0", "search:vet",
            [new DatasetResource(id + "-r1", "2024 data", "CSV", "https://data.gov.au/data/" + id + ".csv", modified, hash, 1024)]);

    [Fact]
    public void TenderSnapshot_FromTheRealRecords_ContractsAwardedAndAmended_EducationTenderPublished()
    {
        var items = Derive(IngestSources.Tender,
            [Contract("CN4099001", "r1", ["90001"]), Tender("ATM-1", "86101700")],
            [
                Contract("CN4099001", "r2", ["90001"], "CN4099001-A1"),
                Contract("CN4099002", "r1", ["90002"]),
                Contract("CN4099003", "r1", []),
                Tender("ATM-1", "86101700"),
                Tender("ATM-2", "86111600"),
                Tender("ATM-3", "56101500"),
            ]);

        Assert.Equal(
            [("90001", RadarKinds.ContractAwarded, "CN4099001"), ("90002", RadarKinds.ContractAwarded, "CN4099002"), (RadarItem.Broadcast, RadarKinds.TenderPublished, "ATM-2")],
            items.Select(i => (i.Rto, i.Kind, i.Subject)));
        Assert.Equal("Contract CN4099001 amended: Foundation skills CN4099001", items[0].Title);
        Assert.Equal("Contract CN4099002 awarded: Foundation skills CN4099002", items[1].Title);
        Assert.Equal("Department of Employment and Workplace Relations — 125000.5 AUD, signed 2026-01-15, 2026-01-15 to 2027-01-14 (release r1).", items[1].Detail);
        Assert.Equal("New approach to market ATM-2: VET delivery panel ATM-2", items[2].Title);
        Assert.Equal("Department of Employment and Workplace Relations, published 2026-03-01, closes 2026-04-30T04:00:00Z: https://www.tenders.gov.au/Atm/Show/ATM-2", items[2].Detail);
    }

    [Fact]
    public void MagdaSnapshot_FromTheRealRecords_ResourceChangedIsUpdated_DatasetGoneIsWithdrawn_MetadataOnlyIsNothing()
    {
        var items = Derive(IngestSources.Magda,
            [Dataset("ds-1", "Total VET students", "h1", Day0), Dataset("ds-2", "Public holidays", null, Day0), Dataset("ds-3", "Apprentices", "h3", Day0)],
            [Dataset("ds-1", "Total VET students", "h2", Day0), Dataset("ds-3", "Apprentices and trainees", "h3", Day0)]);

        Assert.Equal(
            [(RadarKinds.DatasetUpdated, "ds-1"), (RadarKinds.DatasetWithdrawn, "ds-2")],
            items.Select(i => (i.Kind, i.Subject)).Order());
        Assert.All(items, i => Assert.True(i.IsBroadcast));
        Assert.Equal("0 new, 1 changed, 0 removed resource(s); changed: 2024 data.", Assert.Single(items, i => i.Kind == RadarKinds.DatasetUpdated).Detail);
        Assert.Equal("Dataset withdrawn: Public holidays", Assert.Single(items, i => i.Kind == RadarKinds.DatasetWithdrawn).Title);
    }
}
