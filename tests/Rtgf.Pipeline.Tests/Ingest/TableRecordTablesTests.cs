using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Pipeline.Ingest;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>The ingest mirror's row store on Azurite: what the service would refuse is refused first, with nothing of the batch written.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableRecordTablesTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Modified = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TrySubmitAsync_PropertyOver64KiB_IsRefusedNamingItAndWritesNone()
    {
        var table = new TableRecordTables(azurite.TableService(), azurite.UniqueName("m")).Open("mirror");
        var good = Row("a", "{}");
        var bad = Row("b", "{}") with { RecordKey = new string('k', 40_000) };

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            table.TrySubmitAsync("p", [new RowChange(RowChangeKind.Insert, "a", good), new RowChange(RowChangeKind.Insert, "b", bad)]));

        Assert.Contains("'RecordKey'", error.Message, StringComparison.Ordinal);
        Assert.Contains("64 KiB", error.Message, StringComparison.Ordinal);
        Assert.Empty(await table.GetPartitionAsync("p"));
    }

    [Fact]
    public async Task TryWriteAsync_UnescapedKey_IsRefusedNamingTheCharacter()
    {
        var table = new TableRecordTables(azurite.TableService(), azurite.UniqueName("m")).Open("mirror");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => table.TryWriteAsync(Row("BSB/1", "{}"), null));

        Assert.Contains("U+002F", error.Message, StringComparison.Ordinal);
        Assert.Empty(await table.GetPartitionAsync("p"));
    }

    [Fact]
    public async Task LongJson_RoundTripsOverSeveralParts()
    {
        var table = new TableRecordTables(azurite.TableService(), azurite.UniqueName("m")).Open("mirror");
        var json = "\"" + string.Concat(Enumerable.Range(0, 100_000).Select(i => (char)('a' + (i % 26)))) + "\"";

        Assert.True(await table.TryWriteAsync(Row("a", json), null));

        Assert.Equal(json, (await table.GetAsync("p", "a"))?.Row.Json);
        Assert.Equal(json, Assert.Single(await table.GetPartitionAsync("p")).Row.Json);
    }

    private static MirrorRow Row(string rowKey, string json) => new("p", rowKey, "record:" + rowKey, json, "sha256:00", Modified, false, "run-1");
}
