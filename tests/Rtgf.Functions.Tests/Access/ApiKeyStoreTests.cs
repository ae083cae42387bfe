using Azure.Data.Tables;
using Rtgf.Azure.Access;
using Rtgf.Pipeline.Access;

namespace Rtgf.Functions.Tests.Access;

/// <summary>The key store on Azurite: a change written from the record keeps billing's plan columns; a change that changes nothing writes nothing.</summary>
public sealed class ApiKeyStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RotateAndRevoke_AfterAPlanChange_KeepThePlanColumns()
    {
        var (store, table) = await StoreAsync("keyplan");
        Assert.True(await store.CreateAsync(Key("aaaaaaaaaaaaaaaa"), default));
        await store.ChangePlanAsync("aaaaaaaaaaaaaaaa", "pro", "billing:stripe", Now.AddMinutes(1), default);

        await store.UpdateAsync("aaaaaaaaaaaaaaaa", k => new StoredApiKey(k.Record with { RotatedAt = Now.AddMinutes(2), RotatedBy = "ops" }, [2, 2]), default);
        var revoked = await store.UpdateAsync("aaaaaaaaaaaaaaaa", k => k with { Record = k.Record with { RevokedAt = Now.AddMinutes(3), RevokedBy = "ops", RevokedReason = "leaked" } }, default);

        Assert.Equal(("pro", "billing:stripe", Now.AddMinutes(1)), (revoked!.Record.Plan, revoked.Record.PlanChangedBy, revoked.Record.PlanChangedAt));
        var row = (await table.GetEntityAsync<TableEntity>("aaaaaaaaaaaaaaaa", "key")).Value;
        Assert.Equal("billing:stripe", row.GetString("PlanChangedBy"));
        Assert.Equal(Now.AddMinutes(1), row.GetDateTimeOffset("PlanChangedAt"));
        Assert.Equal(Now.AddMinutes(2), row.GetDateTimeOffset("RotatedAt"));
        Assert.Equal("leaked", row.GetString("RevokedReason"));
        var read = (await store.GetAsync("aaaaaaaaaaaaaaaa", default))!.Record;
        Assert.Equal(("pro", "billing:stripe", Now.AddMinutes(1)), (read.Plan, read.PlanChangedBy, read.PlanChangedAt));
    }

    [Fact]
    public async Task AChangeThatReturnsTheKeyUnchanged_WritesNothing()
    {
        var (store, table) = await StoreAsync("keynoop");
        Assert.True(await store.CreateAsync(Key("bbbbbbbbbbbbbbbb"), default));
        var before = (await table.GetEntityAsync<TableEntity>("bbbbbbbbbbbbbbbb", "key")).Value.ETag;

        var refused = await store.UpdateAsync("bbbbbbbbbbbbbbbb", k => k, default); // as a refused rotation or a second revocation

        Assert.Equal("bbbbbbbbbbbbbbbb", refused!.Record.Id);
        Assert.Equal(before, (await table.GetEntityAsync<TableEntity>("bbbbbbbbbbbbbbbb", "key")).Value.ETag);
    }

    private static StoredApiKey Key(string id) =>
        new(new ApiKeyRecord(id, "test", "tests@example.org", [ApiScopes.CatalogueRead], ApiPlans.Free, Now, "ops"), [1, 1]);

    private static async Task<(TableApiKeyStore Store, TableClient Table)> StoreAsync(string name)
    {
        var azurite = await Support.SharedAzurite.GetAsync();
        var prefix = azurite.UniqueName(name);
        return (new TableApiKeyStore(new AccessTables(() => azurite.TableService(), prefix)), azurite.TableService().GetTableClient(prefix + AccessTables.ApiKeys));
    }
}
