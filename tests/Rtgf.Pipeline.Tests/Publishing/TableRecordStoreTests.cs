using System.Globalization;
using Rtgf.Azure.Pipeline.Publishing;
using Rtgf.Pipeline.Publishing;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Publishing;

[Collection(PublishingCollection.Name)]
public sealed class TableRecordStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TryCreateAsync_Existing_ReturnsFalseAndKeepsTheFirst()
    {
        var store = new TableRecordStore(azurite.TableService(), azurite.UniqueName("r"));

        Assert.True(await store.TryCreateAsync("rows", "p", "r", "\"first\""));
        Assert.False(await store.TryCreateAsync("rows", "p", "r", "\"second\""));

        Assert.Equal("\"first\"", (await store.GetAsync("rows", "p", "r"))?.Json);
    }

    [Fact]
    public async Task TryReplaceAsync_StaleETag_ReturnsFalse()
    {
        var store = new TableRecordStore(azurite.TableService(), azurite.UniqueName("r"));
        await store.TryCreateAsync("rows", "p", "r", "1");
        var read = (await store.GetAsync("rows", "p", "r"))!;

        Assert.True(await store.TryReplaceAsync("rows", "p", "r", "2", read.ETag));
        Assert.False(await store.TryReplaceAsync("rows", "p", "r", "3", read.ETag));
        Assert.False(await store.TryReplaceAsync("rows", "p", "missing", "3", read.ETag));

        Assert.Equal("2", (await store.GetAsync("rows", "p", "r"))?.Json);
    }

    [Fact]
    public async Task QueryAsync_KeysWithForbiddenCharactersAndLongBodies_RoundTripInRowOrder()
    {
        var store = new TableRecordStore(azurite.TableService(), azurite.UniqueName("r"));
        var longBody = "\"" + new string('x', 70_000) + "\"";
        await store.UpsertAsync("rows", "a/b#c", "row?2", "2");
        await store.UpsertAsync("rows", "a/b#c", "row\\1", longBody);
        await store.UpsertAsync("rows", "a/b#c", "row%3", "3");
        await store.UpsertAsync("rows", "other", "row0", "0");

        var all = await store.QueryAsync("rows", "a/b#c", null, 10);
        var after = await store.QueryAsync("rows", "a/b#c", all[0].Row, 1);

        Assert.Equal(3, all.Count);
        Assert.All(all, r => Assert.Equal("a/b#c", r.Partition));
        Assert.Contains(all, r => r.Row == "row\\1" && r.Json == longBody);
        Assert.Equal(all[1].Row, Assert.Single(after).Row);
        await store.DeleteAsync("rows", "a/b#c", "row?2");
        Assert.Null(await store.GetAsync("rows", "a/b#c", "row?2"));
    }

    [Fact]
    public async Task TryCreateBatchAsync_OneRowExists_ReturnsFalseAndWritesNone()
    {
        var store = new TableRecordStore(azurite.TableService(), azurite.UniqueName("r"));
        await store.TryCreateAsync("rows", "p/1", "b", "\"first\"");

        var created = await store.TryCreateBatchAsync("rows", "p/1", [new("a", "1"), new("b", "2"), new("c", "3")]);
        var fresh = await store.TryCreateBatchAsync("rows", "p/1", [new("d", "4"), new("e#", "5")]);

        Assert.False(created);
        Assert.True(fresh);
        Assert.Equal(["b", "d", "e#"], (await store.QueryAsync("rows", "p/1", null, 10)).Select(r => r.Row));
        Assert.Equal("\"first\"", (await store.GetAsync("rows", "p/1", "b"))?.Json);
    }

    [Fact]
    public async Task TryCreateBatchAsync_OneRowOverOneMebibyte_IsRefusedNamingTheLimitAndWritesNone()
    {
        var store = new TableRecordStore(azurite.TableService(), azurite.UniqueName("r"));
        var huge = "\"" + new string('x', 600_000) + "\""; // 1.2 MB as UTF-16, over the 1 MiB an entity holds

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.TryCreateBatchAsync("rows", "p", [new("a", "1"), new("b", huge)]));

        Assert.Contains("1,048,576", error.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.QueryAsync("rows", "p", null, 10));
    }

    [Fact]
    public async Task Key_OverOneKibibyteOnceEscaped_IsRefusedBeforeStorage()
    {
        var store = new TableRecordStore(azurite.TableService(), azurite.UniqueName("r"));
        var key = new string('/', 171); // 171 characters, 513 once escaped

        var write = await Assert.ThrowsAsync<ArgumentException>(() => store.TryCreateAsync("rows", "p", key, "1"));
        var read = await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync("rows", key, "r"));

        Assert.Contains("513 characters; keys hold at most 512", write.Message, StringComparison.Ordinal);
        Assert.Contains("513", read.Message, StringComparison.Ordinal);
        Assert.Empty(await store.QueryAsync("rows", "p", null, 10));
    }

    [Theory]
    [InlineData("O'Brien & Sons (Pty) Ltd + 100%")]
    [InlineData("Ōtautahi — 東京 🦘")]
    [InlineData("")]
    [InlineData("a\u0000b\tc")]
    public async Task Keys_QuotesUnicodeEmptyAndControls_RoundTripThroughTheSdk(string key)
    {
        var store = new TableRecordStore(azurite.TableService(), azurite.UniqueName("r"));

        Assert.True(await store.TryCreateAsync("rows", key, key, "1"));
        var read = await store.GetAsync("rows", key, key);
        var listed = Assert.Single(await store.QueryAsync("rows", key, null, 10));

        Assert.Equal((key, key, "1"), (read?.Partition, read?.Row, read?.Json));
        Assert.Equal(key, listed.Row);
        Assert.True(await store.TryReplaceAsync("rows", key, key, "2", read!.ETag));
        await store.DeleteAsync("rows", key, key);
        Assert.Null(await store.GetAsync("rows", key, key));
    }

    [Fact]
    public async Task QueryAsync_MoreThanOnePage_ReturnsUpToMaxInRowOrder()
    {
        var store = new TableRecordStore(azurite.TableService(), azurite.UniqueName("r"));
        foreach (var chunk in Enumerable.Range(0, 1_200).Chunk(RecordBatch.MaxRows))
        {
            await store.UpsertBatchAsync("rows", "p", [.. chunk.Select(i => new RecordBatchRow(i.ToString("D5", CultureInfo.InvariantCulture), "{}"))]);
        }

        var all = await store.QueryAsync("rows", "p", null, 5_000);
        var some = await store.QueryAsync("rows", "p", "00099", 1_050);

        Assert.Equal(Enumerable.Range(0, 1_200).Select(i => i.ToString("D5", CultureInfo.InvariantCulture)), all.Select(r => r.Row));
        Assert.Equal(1_050, some.Count);
        Assert.Equal("00100", some[0].Row);
        Assert.Equal("01149", some[^1].Row);
    }

    [Fact]
    public async Task Reads_OnAFreshStore_FindNothingAndCreateNothing()
    {
        var prefix = azurite.UniqueName("r");
        var store = new TableRecordStore(azurite.TableService(), prefix);

        Assert.Null(await store.GetAsync("rows", "p", "r"));
        Assert.Empty(await store.QueryAsync("rows", "p", null, 10));

        // A GET on the registry must not create tables: only the first write does.
        var tables = new List<string>();
        await foreach (var item in azurite.TableService().QueryAsync(t => t.Name == prefix + "rows"))
        {
            tables.Add(item.Name);
        }

        Assert.Empty(tables);
        Assert.True(await store.TryCreateAsync("rows", "p", "r", "1"));
        Assert.Equal("1", (await store.GetAsync("rows", "p", "r"))?.Json);
    }

    [Fact]
    public async Task UpsertBatchAsync_MaxRows_WritesAndReplacesEveryRow()
    {
        var store = new TableRecordStore(azurite.TableService(), azurite.UniqueName("r"));
        await store.TryCreateAsync("rows", "p", "r000", "\"old\"");
        var rows = Enumerable.Range(0, RecordBatch.MaxRows).Select(i => new RecordBatchRow("r" + i.ToString("D3", CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture))).ToList();

        await store.UpsertBatchAsync("rows", "p", rows);

        var stored = await store.QueryAsync("rows", "p", null, 1000);
        Assert.Equal(rows.Select(r => (r.Row, r.Json)), stored.Select(r => (r.Row, r.Json)));
        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertBatchAsync("rows", "p", [.. rows, new RecordBatchRow("r100", "100")]));
    }
}
