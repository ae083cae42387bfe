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

    [Fact]
    public async Task TrySubmitAsync_OverFourMebibytes_IsRefusedNamingTheLimitAndWritesNone()
    {
        var table = new TableRecordTables(azurite.TableService(), azurite.UniqueName("m")).Open("mirror");
        var body = "\"" + new string('x', 450_000) + "\""; // each row fits an entity (0.9 MB); ten do not fit one transaction
        var changes = Enumerable.Range(0, 10).Select(i => new RowChange(RowChangeKind.Insert, "r" + i, Row("r" + i, body))).ToList();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => table.TrySubmitAsync("p", changes));

        Assert.Contains("4 MiB", error.Message, StringComparison.Ordinal);
        Assert.Empty(await table.GetPartitionAsync("p"));
    }

    [Fact]
    public async Task TrySubmitAsync_RowOfAnotherPartitionOrTwice_IsRefused()
    {
        var table = new TableRecordTables(azurite.TableService(), azurite.UniqueName("m")).Open("mirror");
        var stray = Row("b", "{}") with { PartitionKey = "q" };

        var other = await Assert.ThrowsAsync<ArgumentException>(() => table.TrySubmitAsync("p", [new(RowChangeKind.Insert, "a", Row("a", "{}")), new(RowChangeKind.Insert, "b", stray)]));
        var twice = await Assert.ThrowsAsync<ArgumentException>(() => table.TrySubmitAsync("p", [new(RowChangeKind.Insert, "a", Row("a", "{}")), new(RowChangeKind.Upsert, "a", Row("a", "[]"))]));

        Assert.Contains("one partition", other.Message, StringComparison.Ordinal);
        Assert.Contains("twice", twice.Message, StringComparison.Ordinal);
        Assert.Empty(await table.GetPartitionAsync("p"));
        Assert.Empty(await table.GetPartitionAsync("q"));
    }

    [Fact]
    public async Task TrySubmitAsync_StaleETag_ReturnsFalseAndWritesNone()
    {
        var table = new TableRecordTables(azurite.TableService(), azurite.UniqueName("m")).Open("mirror");
        Assert.True(await table.TryWriteAsync(Row("a", "1"), null));
        var read = (await table.GetAsync("p", "a"))!;
        Assert.True(await table.TryWriteAsync(Row("a", "2"), read.ETag));

        var submitted = await table.TrySubmitAsync("p", [new(RowChangeKind.Insert, "b", Row("b", "3")), new(RowChangeKind.Replace, "a", Row("a", "4"), read.ETag)]);

        Assert.False(submitted);
        Assert.Equal(["a"], (await table.GetPartitionAsync("p")).Select(r => r.Row.RowKey));
        Assert.Equal("2", (await table.GetAsync("p", "a"))?.Row.Json);
    }

    [Fact]
    public async Task GetPartitionAsync_MoreRowsThanOnePage_ReadsThemAll()
    {
        var table = new TableRecordTables(azurite.TableService(), azurite.UniqueName("m")).Open("mirror");
        foreach (var chunk in Enumerable.Range(0, 1_200).Chunk(100))
        {
            Assert.True(await table.TrySubmitAsync("p", [.. chunk.Select(i => new RowChange(RowChangeKind.Insert, Key(i), Row(Key(i), "{}")))]));
        }

        var rows = await table.GetPartitionAsync("p");

        Assert.Equal(Enumerable.Range(0, 1_200).Select(Key), rows.Select(r => r.Row.RowKey));
    }

    private static string Key(int i) => i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    private static MirrorRow Row(string rowKey, string json) => new("p", rowKey, "record:" + rowKey, json, "sha256:00", Modified, false, "run-1");
}
