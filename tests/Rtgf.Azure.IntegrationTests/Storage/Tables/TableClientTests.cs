using Azure;
using Rtgf.Azure.Storage.Tables;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Storage.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableClientTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateIfNotExists_Twice_SucceedsAndTableIsListed()
    {
        var service = azurite.TableService();
        var name = azurite.UniqueName("idem");

        await service.CreateTableIfNotExistsAsync(name);
        await service.CreateTableIfNotExistsAsync(name);

        var names = new List<string>();
        await foreach (var table in service.QueryTablesAsync(TableClient.CreateQueryFilter($"TableName eq {name}")))
        {
            names.Add(table);
        }

        Assert.Equal([name], names);
    }

    [Fact]
    public async Task Create_WhenTableExists_ThrowsConflictWithServiceCode()
    {
        var table = await azurite.NewTableAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.CreateAsync());

        Assert.Equal(409, error.Status);
        Assert.Equal("TableAlreadyExists", error.ErrorCode);
    }

    [Fact]
    public async Task Delete_RemovesTableAndIsIdempotent()
    {
        var table = await azurite.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));

        await table.DeleteAsync();
        await table.DeleteAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync("p", "r"));
        Assert.Equal(404, error.Status);
        Assert.Equal("TableNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task AddThenGet_RoundTripsEveryPropertyType()
    {
        var table = await azurite.NewTableAsync();
        var at = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero).AddTicks(1234567);
        var id = Guid.Parse("3f0e8a1c-2b4d-4e6f-8a9b-0c1d2e3f4a5b");
        var entity = new TableEntity("rto", "0001")
        {
            ["Name"] = "Ōtautahi Training",
            ["Active"] = true,
            ["Scope"] = 1234,
            ["Big"] = long.MaxValue,
            ["Ratio"] = 0.1,
            ["Whole"] = 2.0,
            ["At"] = at,
            ["Id"] = id,
            ["Hash"] = new byte[] { 0, 1, 2, 254, 255 },
        };

        await table.AddEntityAsync(entity);
        var read = (await table.GetEntityAsync("rto", "0001")).Value;

        Assert.Equal("Ōtautahi Training", read.GetString("Name"));
        Assert.True(read.GetBoolean("Active"));
        Assert.Equal(1234, read.GetInt32("Scope"));
        Assert.Equal(long.MaxValue, read.GetInt64("Big"));
        Assert.Equal(0.1, read.GetDouble("Ratio"));
        Assert.IsType<double>(read["Whole"]);
        Assert.Equal(at, read.GetDateTimeOffset("At"));
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, read.GetBinary("Hash"));
        Assert.NotNull(read.Timestamp);
        Assert.NotEqual(default, read.ETag);
        Assert.Equal(entity.ETag, read.ETag);
    }

    [Fact]
    public async Task Add_Twice_ThrowsEntityAlreadyExists()
    {
        var table = await azurite.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        Assert.Equal(1, (await table.GetEntityAsync("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Get_Missing_Throws404AndIfExistsReturnsNull()
    {
        var table = await azurite.NewTableAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync("p", "missing"));

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
        Assert.Null(await table.GetEntityIfExistsAsync("p", "missing"));
    }

    [Fact]
    public async Task GetEntity_WithSelect_ReturnsOnlyThoseProperties()
    {
        var table = await azurite.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = 1, ["B"] = 2, ["C"] = 3 });

        var read = (await table.GetEntityAsync("p", "r", select: ["A", "C"])).Value;

        Assert.Equal(["A", "C"], read.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Upsert_Replace_DropsUnnamedPropertiesAndMerge_KeepsThem()
    {
        var table = await azurite.NewTableAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "merge") { ["A"] = 1, ["B"] = 2 });
        await table.UpsertEntityAsync(new TableEntity("p", "replace") { ["A"] = 1, ["B"] = 2 });

        await table.UpsertEntityAsync(new TableEntity("p", "merge") { ["A"] = 10 }, TableUpdateMode.Merge);
        await table.UpsertEntityAsync(new TableEntity("p", "replace") { ["A"] = 10 }, TableUpdateMode.Replace);

        var merged = (await table.GetEntityAsync("p", "merge")).Value;
        var replaced = (await table.GetEntityAsync("p", "replace")).Value;
        Assert.Equal((10, 2), (merged.GetInt32("A"), merged.GetInt32("B")));
        Assert.Equal(10, replaced.GetInt32("A"));
        Assert.False(replaced.ContainsKey("B"));
    }

    [Fact]
    public async Task Update_WithCurrentETag_SucceedsAndMovesTheETag()
    {
        var table = await azurite.NewTableAsync();
        var entity = new TableEntity("p", "r") { ["V"] = 1 };
        await table.AddEntityAsync(entity);
        var first = entity.ETag;

        entity["V"] = 2;
        await table.UpdateEntityAsync(entity, first, TableUpdateMode.Replace);

        Assert.NotEqual(first, entity.ETag);
        Assert.Equal(2, (await table.GetEntityAsync("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Update_WithStaleETag_Throws412AndLeavesTheEntity()
    {
        var table = await azurite.NewTableAsync();
        var entity = new TableEntity("p", "r") { ["V"] = 1 };
        await table.AddEntityAsync(entity);
        var stale = entity.ETag;
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 3 }, stale));

        Assert.Equal(412, error.Status);
        Assert.Equal("UpdateConditionNotSatisfied", error.ErrorCode);
        Assert.Equal(2, (await table.GetEntityAsync("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Update_AnyETagOnMissingEntity_Throws404()
    {
        var table = await azurite.NewTableAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(new TableEntity("p", "absent"), ETag.All));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task Update_WithoutETag_IsRefusedClientSide()
    {
        var table = await azurite.NewTableAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => table.UpdateEntityAsync(new TableEntity("p", "r"), default));
    }

    [Fact]
    public async Task Delete_WithStaleETag_Throws412_WithCurrentETag_Deletes_Missing_IsNoError()
    {
        var table = await azurite.NewTableAsync();
        var entity = new TableEntity("p", "r") { ["V"] = 1 };
        await table.AddEntityAsync(entity);
        var stale = entity.ETag;
        await table.UpdateEntityAsync(entity, ETag.All);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r", stale));
        Assert.Equal(412, error.Status);

        await table.DeleteEntityAsync("p", "r", entity.ETag);
        Assert.Null(await table.GetEntityIfExistsAsync("p", "r"));

        var again = await table.DeleteEntityAsync("p", "r");
        Assert.Equal(404, again.Status);
    }

    [Theory]
    [InlineData("O'Brien")]
    [InlineData("with space")]
    [InlineData("per%cent+plus")]
    [InlineData("Ōtautahi–Māori 日本")]
    [InlineData("")]
    [InlineData("a(b)c=d&e")]
    public async Task Keys_WithSpecialCharacters_RoundTripThroughGetAndQuery(string key)
    {
        var table = await azurite.NewTableAsync();
        await table.AddEntityAsync(new TableEntity(key, key) { ["V"] = 7 });

        var read = (await table.GetEntityAsync(key, key)).Value;
        var queried = await ToListAsync(table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {key} and RowKey eq {key}")));

        Assert.Equal((key, key), (read.PartitionKey, read.RowKey));
        Assert.Equal(7, Assert.Single(queried).GetInt32("V"));
        await table.DeleteEntityAsync(key, key, read.ETag);
        Assert.Null(await table.GetEntityIfExistsAsync(key, key));
    }

    [Fact]
    public async Task Query_FilterBuilder_HandlesEveryLiteralType()
    {
        var table = await azurite.NewTableAsync();
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        for (var i = 0; i < 5; i++)
        {
            await table.AddEntityAsync(new TableEntity("p", $"r{i}")
            {
                ["Owner"] = i == 3 ? "O'Brien" : "Smith",
                ["Count"] = (long)i,
                ["At"] = at.AddDays(i),
                ["Id"] = i == 2 ? id : Guid.Empty,
                ["Score"] = i * 0.5,
            });
        }

        var byName = await ToListAsync(table.QueryAsync(TableClient.CreateQueryFilter($"Owner eq {"O'Brien"}")));
        var byLong = await ToListAsync(table.QueryAsync(TableClient.CreateQueryFilter($"Count ge {3L}")));
        var byDate = await ToListAsync(table.QueryAsync(TableClient.CreateQueryFilter($"At lt {at.AddDays(2)}")));
        var byGuid = await ToListAsync(table.QueryAsync(TableClient.CreateQueryFilter($"Id eq {id}")));
        var byDouble = await ToListAsync(table.QueryAsync(TableClient.CreateQueryFilter($"Score gt {1.0}")));

        Assert.Equal(["r3"], byName.Select(e => e.RowKey));
        Assert.Equal(["r3", "r4"], byLong.Select(e => e.RowKey));
        Assert.Equal(["r0", "r1"], byDate.Select(e => e.RowKey));
        Assert.Equal(["r2"], byGuid.Select(e => e.RowKey));
        Assert.Equal(["r3", "r4"], byDouble.Select(e => e.RowKey));
    }

    [Fact]
    public async Task Query_Select_ReturnsOnlyTheSelectedPropertiesAndKeys()
    {
        var table = await azurite.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = 1, ["B"] = 2 });

        var withKey = Assert.Single(await ToListAsync(table.QueryAsync(select: ["RowKey", "B"])));
        var withoutKey = Assert.Single(await ToListAsync(table.QueryAsync(select: ["B"])));

        Assert.Equal(["B"], withKey.Keys);
        Assert.Equal("r", withKey.RowKey);
        Assert.Equal(string.Empty, withoutKey.RowKey);
    }

    [Fact]
    public async Task Query_Top_LimitsEachPageAndPagingReturnsAll()
    {
        var table = await azurite.NewTableAsync();
        for (var i = 0; i < 25; i++)
        {
            await table.AddEntityAsync(new TableEntity("p", $"r{i:D2}"));
        }

        var pages = new List<int>();
        await foreach (var page in table.QueryAsync(maxPerPage: 10).AsPages())
        {
            pages.Add(page.Values.Count);
        }

        Assert.Equal([10, 10, 5], pages);
    }

    [Fact]
    public async Task Query_Over2500EntitiesInManyPartitions_ReturnsEveryOneAcrossPages()
    {
        var table = await azurite.NewTableAsync("bulk");
        for (var partition = 0; partition < 25; partition++)
        {
            var actions = Enumerable.Range(0, 100)
                .Select(row => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity($"p{partition:D2}", $"r{row:D3}") { ["N"] = (partition * 100) + row }))
                .ToList();
            await table.SubmitTransactionAsync(actions);
        }

        var pageCount = 0;
        var seen = new HashSet<int>();
        await foreach (var page in table.QueryAsync().AsPages())
        {
            pageCount++;
            foreach (var entity in page.Values)
            {
                Assert.True(seen.Add(entity.GetInt32("N")!.Value));
            }
        }

        Assert.Equal(2500, seen.Count);
        Assert.True(pageCount >= 3, $"expected the service to page 2,500 entities (≤1,000 a page), got {pageCount} page(s)");
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    [InlineData("tab\there")]
    public async Task IllegalKey_IsRefusedClientSideAndNothingIsStored(string key)
    {
        var table = await azurite.NewTableAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", key)));
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertEntityAsync(new TableEntity(key, "r")));

        Assert.Empty(await ToListAsync(table.QueryAsync()));
    }

    [Fact]
    public async Task TwoMebibyteEntity_IsRefusedClientSide_AndJustUnderOneMebibyte_IsStored()
    {
        var table = await azurite.NewTableAsync();
        var huge = new TableEntity("p", "huge");
        var large = new TableEntity("p", "large");
        for (var i = 0; i < 32; i++)
        {
            huge[$"Chunk{i:D2}"] = new string('x', 32 * 1024);
        }

        for (var i = 0; i < 15; i++)
        {
            large[$"Chunk{i:D2}"] = new string('y', 32 * 1024);
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(huge));
        await table.AddEntityAsync(large);

        Assert.Contains("1,048,576", error.Message, StringComparison.Ordinal);
        Assert.Null(await table.GetEntityIfExistsAsync("p", "huge"));
        Assert.Equal(15, (await table.GetEntityAsync("p", "large")).Value.Count);
    }

    private static async Task<List<TableEntity>> ToListAsync(AsyncPageable<TableEntity> pageable)
    {
        var list = new List<TableEntity>();
        await foreach (var entity in pageable)
        {
            list.Add(entity);
        }

        return list;
    }
}
