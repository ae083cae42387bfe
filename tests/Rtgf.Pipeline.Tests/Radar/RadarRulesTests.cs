using System.Security.Cryptography;
using System.Text;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Radar;

namespace Rtgf.Pipeline.Tests.Radar;

/// <summary>The radar's rules per kind: pure, from two snapshots of a source to items (docs/spec/radar.md).</summary>
public sealed class RadarRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 0, 30, 0, TimeSpan.Zero);

    private static IReadOnlyList<RadarItem> Derive(Snapshot before, Snapshot after) =>
        RadarRules.Derive(new RadarStep(7, At, before.Manifest.Source, after.Manifest.Digest), before.Records, after.Records);

    [Fact]
    public void ComponentSuperseded_OneItemPerRtoWithItOnScope_IdIsTheHashOfTheChange()
    {
        var world = TgaWorld.Sample();
        var before = RadarSnapshots.Tga(world);
        world.Supersede("BSBWHS411", "BSBWHS521");
        var after = RadarSnapshots.Tga(world);

        var items = Derive(before, after);

        Assert.Equal(["90001", "90002"], items.Select(i => i.Rto));
        Assert.All(items, i =>
        {
            Assert.Equal(RadarKinds.ComponentSuperseded, i.Kind);
            Assert.Equal("BSBWHS411", i.Subject);
            Assert.Equal(IngestSources.Tga, i.Source);
            Assert.Equal(after.Manifest.Digest, i.SnapshotDigest);
            Assert.Equal(7, i.Sequence);
            Assert.Equal(At, i.ObservedAt);
            Assert.Contains("BSBWHS521", i.Title, StringComparison.Ordinal);
        });
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("component-superseded|90001|BSBWHS411|BSBWHS521|7")));
        Assert.Equal(expected, items[0].Id);
        Assert.Equal("000000000007-" + expected, items[0].RowKey);
    }

    [Fact]
    public void RegistrationStatusOrDatesChanged_RaisesAnItem_OtherMembersDoNot()
    {
        var world = TgaWorld.Sample();
        var before = RadarSnapshots.Tga(world);
        world.Rtos["90001"] = world.Rtos["90001"] with { Status = "Cancelled" };
        world.Rtos["90002"] = world.Rtos["90002"] with { RegistrationEnd = new DateOnly(2032, 1, 1) };
        world.Rtos["90003"] = world.Rtos["90003"] with { TradingNames = ["Renamed"] };
        var after = RadarSnapshots.Tga(world);

        var items = Derive(before, after);

        Assert.Equal([("90001", RadarKinds.RegistrationChanged), ("90002", RadarKinds.RegistrationChanged)], items.Select(i => (i.Rto, i.Kind)));
        Assert.Contains("Current → Cancelled", items[0].Title, StringComparison.Ordinal);
        Assert.Contains("2032-01-01", items[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ScopeAddedAndRemoved_RaiseScopeChanged_ANewRtoSaysSoOnce()
    {
        var world = TgaWorld.Sample();
        var before = RadarSnapshots.Tga(world);
        world.Scope.Remove(("90001", "CHCCCS015"));
        world.Scope.Add(("90003", "BSBWHS521"));
        world.AddRto("90004", "Current");
        world.Scope.Add(("90004", "BSBWHS411"));
        world.Scope.Add(("90004", "BSBWHS521"));
        var after = RadarSnapshots.Tga(world);

        var items = Derive(before, after);

        Assert.Equal(
            [("90001", RadarKinds.ScopeChanged, "CHCCCS015"), ("90003", RadarKinds.ScopeChanged, "BSBWHS521"), ("90004", RadarKinds.RegistrationChanged, "90004")],
            items.Select(i => (i.Rto, i.Kind, i.Subject)));
        Assert.Contains("removed", items[0].Title, StringComparison.Ordinal);
        Assert.Contains("added", items[1].Title, StringComparison.Ordinal);
    }

    [Fact]
    public void DeletedRto_Tombstone_IsARegistrationChange()
    {
        var world = TgaWorld.Sample();
        var before = RadarSnapshots.Tga(world);
        var records = world.Records().Where(r => r.Key != "rto:90003").Append(new TombstoneRecord("rto:90003", "organisation", At));
        var after = RadarSnapshots.Build(IngestSources.Tga, records);

        var item = Assert.Single(Derive(before, after));

        Assert.Equal(("90003", RadarKinds.RegistrationChanged), (item.Rto, item.Kind));
        Assert.Contains("removed from the register", item.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void ContractNewOrAmended_RaisesAnItemPerNamedRto_UnchangedDoesNot()
    {
        var before = RadarSnapshots.Build(IngestSources.Tender, [new TestContract("CN4000001", "r1", "Old contract", ["90001"])]);
        var after = RadarSnapshots.Build(IngestSources.Tender,
        [
            new TestContract("CN4000001", "r1", "Old contract", ["90001"]),
            new TestContract("CN4000002", "r1", "Foundation skills", ["90001", "90002"]),
            new TestContract("CN4000003", "r1", "Not an RTO", []),
        ]);
        var amended = RadarSnapshots.Build(IngestSources.Tender,
        [
            new TestContract("CN4000001", "r2", "Old contract", ["90001"], ["A1"]),
            new TestContract("CN4000002", "r1", "Foundation skills", ["90001", "90002"]),
            new TestContract("CN4000003", "r1", "Not an RTO", []),
        ]);

        var awarded = Derive(before, after);
        var changed = Derive(after, amended);

        Assert.Equal([("90001", "CN4000002"), ("90002", "CN4000002")], awarded.Select(i => (i.Rto, i.Subject)));
        Assert.All(awarded, i => Assert.Equal(RadarKinds.ContractAwarded, i.Kind));
        var item = Assert.Single(changed);
        Assert.Equal(("90001", "CN4000001"), (item.Rto, item.Subject));
        Assert.Contains("amended", item.Title, StringComparison.Ordinal);
        Assert.Empty(Derive(after, after));
    }

    [Fact]
    public void NewTenderInEducation_IsABroadcastItem_OtherCategoriesAndChangesAreNot()
    {
        var before = RadarSnapshots.Build(IngestSources.Tender, [new TestTender("ATM-1", "Existing", ["86101700"])]);
        var after = RadarSnapshots.Build(IngestSources.Tender,
        [
            new TestTender("ATM-1", "Existing", ["86101700"], CloseDate: "2026-05-31"),
            new TestTender("ATM-2", "VET delivery panel", ["86111600", "80101500"]),
            new TestTender("ATM-3", "Office furniture", ["56101500"]),
        ]);

        var item = Assert.Single(Derive(before, after));

        Assert.Equal((RadarItem.Broadcast, RadarKinds.TenderPublished, "ATM-2"), (item.Rto, item.Kind, item.Subject));
        Assert.True(item.IsBroadcast);
    }

    [Fact]
    public void DatasetResourceFingerprintsChanged_IsABroadcastItem_MetadataOnlyIsNot()
    {
        var before = RadarSnapshots.Build(IngestSources.Magda,
        [
            new TestDataset("ds-1", "Total VET students", [("r1", "2024 data", "sha256:aa"), ("r2", "2023 data", "sha256:bb")]),
            new TestDataset("ds-2", "Public holidays", [("h1", "holidays", "sha256:cc")]),
        ]);
        var after = RadarSnapshots.Build(IngestSources.Magda,
        [
            new TestDataset("ds-1", "Total VET students", [("r1", "2024 data", "sha256:a2"), ("r3", "2025 data", "sha256:dd")]),
            new TestDataset("ds-2", "Public holidays", [("h1", "holidays", "sha256:cc")], Modified: "2026-03-02T00:00:00Z"),
        ]);

        var item = Assert.Single(Derive(before, after));

        Assert.Equal((RadarItem.Broadcast, RadarKinds.DatasetUpdated, "ds-1"), (item.Rto, item.Kind, item.Subject));
        Assert.Equal("1 new, 1 changed, 1 removed resource(s); new: 2025 data; changed: 2024 data; removed: 2023 data.", item.Detail);
    }

    [Fact]
    public void TheSameChangeInAnotherPlan_IsAnotherItem_InTheSamePlanTheSameItem()
    {
        var world = TgaWorld.Sample();
        var before = RadarSnapshots.Tga(world);
        world.Scope.Add(("90003", "BSBWHS521"));
        var after = RadarSnapshots.Tga(world);

        var first = Assert.Single(Derive(before, after));
        var again = Assert.Single(Derive(before, after));
        var later = Assert.Single(RadarRules.Derive(new RadarStep(9, At, IngestSources.Tga, after.Manifest.Digest), before.Records, after.Records));

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, later.Id); // a scope row added, removed and added again is news each time
    }

    [Fact]
    public void ContractRecordWithoutAmendments_ReadsAsNoAmendments_DoesNotThrow()
    {
        var before = RadarSnapshots.Build(IngestSources.Tender, [new TestContract("CN4000001", "r1", "Old contract", ["90001"], OmitAmendments: true)]);
        var after = RadarSnapshots.Build(IngestSources.Tender, [new TestContract("CN4000001", "r1", "Old contract, renamed", ["90001", "90002"], OmitAmendments: true)]);
        var amended = RadarSnapshots.Build(IngestSources.Tender, [new TestContract("CN4000001", "r1", "Old contract, renamed", ["90001", "90002"], ["A1"])]);

        var items = Derive(before, after);
        var amendments = Derive(after, amended);

        var item = Assert.Single(items); // only the RTO newly named; the same release without amendments is no amendment
        Assert.Equal(("90002", RadarKinds.ContractAwarded), (item.Rto, item.Kind));
        Assert.Equal(["90001", "90002"], amendments.Select(i => i.Rto)); // amendments appearing on the same release: amended
        Assert.All(amendments, i => Assert.Contains("amended", i.Title, StringComparison.Ordinal));
    }

    [Fact]
    public void DatasetGoneFromTheSnapshot_IsABroadcastWithdrawnItem()
    {
        var before = RadarSnapshots.Build(IngestSources.Magda,
        [
            new TestDataset("ds-1", "Total VET students", [("r1", "2024 data", "sha256:aa")]),
            new TestDataset("ds-2", "Public holidays", [("h1", "holidays", "sha256:cc")]),
        ]);
        var after = RadarSnapshots.Build(IngestSources.Magda, [new TestDataset("ds-1", "Total VET students", [("r1", "2024 data", "sha256:aa")])]);

        var item = Assert.Single(Derive(before, after));

        Assert.Equal((RadarItem.Broadcast, RadarKinds.DatasetWithdrawn, "ds-2"), (item.Rto, item.Kind, item.Subject));
        Assert.Equal("Dataset withdrawn: Public holidays", item.Title);
        Assert.Empty(Derive(after, after));
    }

    [Fact]
    public void SameSnapshots_SameItems_AndNoChangeNoItems()
    {
        var world = TgaWorld.Sample();
        var before = RadarSnapshots.Tga(world);
        world.Supersede("BSBWHS411", "BSBWHS521");
        world.Scope.Add(("90003", "BSBWHS521"));
        var after = RadarSnapshots.Tga(world);

        Assert.Equal(Derive(before, after), Derive(before, after));
        Assert.Empty(Derive(after, after));
    }

    [Fact]
    public void LinesOutOfKeyOrder_AreAFormatError()
    {
        ReadOnlyMemory<byte> shuffled = "{\"code\":\"90002\"}\n{\"code\":\"90001\"}\n"u8.ToArray();

        var error = Assert.Throws<FormatException>(() => SnapshotDiff.Changes(ReadOnlyMemory<byte>.Empty, shuffled, RadarKeys.Tga).ToList());

        Assert.Contains("rto:90001", error.Message, StringComparison.Ordinal);
    }
}
