using Azure;
using Rtgf.Azure.Storage.Tables;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Storage.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableTransactionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task HundredUpserts_CommitTogether()
    {
        var table = await azurite.NewTableAsync();
        var actions = Enumerable.Range(0, 100)
            .Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("batch", $"r{i:D3}") { ["I"] = i }))
            .ToList();

        var response = await table.SubmitTransactionAsync(actions);

        Assert.Equal(100, response.Value.Count);
        Assert.All(response.Value, r => Assert.Equal(204, r.Status));
        Assert.All(response.Value, r => Assert.NotEqual(default, r.ETag));
        Assert.Equal(100, await CountAsync(table));
    }

    [Fact]
    public async Task OneBadOperation_CommitsNothingAndNamesItsIndex()
    {
        var table = await azurite.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("batch", "r057") { ["I"] = -1 });
        var actions = Enumerable.Range(0, 100)
            .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("batch", $"r{i:D3}") { ["I"] = i }))
            .ToList();

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(actions));

        Assert.Equal(57, error.FailedTransactionActionIndex);
        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        Assert.Contains("operation 57", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(table));
        Assert.Equal(-1, (await table.GetEntityAsync("batch", "r057")).Value.GetInt32("I"));
    }

    [Fact]
    public async Task StaleETagInsideATransaction_Fails412AtThatIndexAndRollsBack()
    {
        var table = await azurite.NewTableAsync();
        var existing = new TableEntity("p", "keep") { ["V"] = 1 };
        await table.AddEntityAsync(existing);
        var stale = existing.ETag;
        await table.UpdateEntityAsync(new TableEntity("p", "keep") { ["V"] = 2 }, ETag.All);

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "new1")),
            new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity("p", "keep") { ["V"] = 3 }, stale),
        ]));

        Assert.Equal(1, error.FailedTransactionActionIndex);
        Assert.Equal(412, error.Status);
        Assert.Null(await table.GetEntityIfExistsAsync("p", "new1"));
        Assert.Equal(2, (await table.GetEntityAsync("p", "keep")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task MixedOperations_AllApply()
    {
        var table = await azurite.NewTableAsync();
        var toUpdate = new TableEntity("p", "update") { ["V"] = 1, ["Other"] = "x" };
        await table.AddEntityAsync(toUpdate);
        await table.AddEntityAsync(new TableEntity("p", "delete"));
        await table.AddEntityAsync(new TableEntity("p", "replace") { ["Gone"] = true });

        await table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "add") { ["V"] = 1 }),
            new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity("p", "update") { ["V"] = 2 }, toUpdate.ETag),
            new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("p", "delete")),
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, new TableEntity("p", "replace") { ["V"] = 3 }),
            new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity("p", "upsert") { ["V"] = 4 }),
        ]);

        Assert.Equal(1, (await table.GetEntityAsync("p", "add")).Value.GetInt32("V"));
        var updated = (await table.GetEntityAsync("p", "update")).Value;
        Assert.Equal((2, "x"), (updated.GetInt32("V"), updated.GetString("Other")));
        Assert.Null(await table.GetEntityIfExistsAsync("p", "delete"));
        var replaced = (await table.GetEntityAsync("p", "replace")).Value;
        Assert.False(replaced.ContainsKey("Gone"));
        Assert.Equal(4, (await table.GetEntityAsync("p", "upsert")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task OversizedEntityInATransaction_IsRefusedBeforeSending()
    {
        var table = await azurite.NewTableAsync();
        var huge = new TableEntity("p", "huge");
        for (var i = 0; i < 20; i++)
        {
            huge[$"S{i}"] = new string('z', 32 * 1024);
        }

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "small")),
            new TableTransactionAction(TableTransactionActionType.Add, huge),
        ]));

        Assert.Equal(0, await CountAsync(table));
    }

    private static async Task<int> CountAsync(TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync())
        {
            count++;
        }

        return count;
    }
}
