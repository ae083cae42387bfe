using Azure.Data.Tables;
using Rtgf.Azure.Webhooks;
using Rtgf.Pipeline.Webhooks;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Webhooks;

/// <summary>The <c>webhookstates</c> index: listing by state and the sweep follow the records, and stale rows are pruned.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookStateIndexTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ARecordMovedOn_LeavesItsOldStatesListing_AndTheStaleRowIsPruned()
    {
        var prefix = azurite.UniqueName("wi");
        var store = new TableWebhookStore(() => azurite.TableService(), prefix);
        var record = Record("evt_moving", WebhookStates.Received);
        var etag = await store.TryAddAsync(record, default);
        await store.TryAddAsync(Record("evt_waiting", WebhookStates.Received), default);
        var stuckBefore = await store.ListStuckAsync(WebhookStates.Received, At.AddMinutes(1), 50, default);

        await store.TryReplaceAsync(record with { State = WebhookStates.Applied }, etag!, default);
        var received = await store.ListAsync("stripe", WebhookStates.Received, 50, null, default);
        var applied = await store.ListAsync(null, WebhookStates.Applied, 50, null, default);
        var stuckAfter = await store.ListStuckAsync(WebhookStates.Received, At.AddMinutes(1), 50, default);
        var index = azurite.TableService().GetTableClient(prefix + TableWebhookStore.IndexTableName);
        var receivedRows = index.Query<TableEntity>(e => e.PartitionKey == WebhookStates.Received).Select(e => e.RowKey).ToList();

        Assert.Equal(["evt_moving", "evt_waiting"], stuckBefore.Select(r => r.EventId).Order(StringComparer.Ordinal));
        Assert.Equal(["evt_waiting"], received.Records.Select(r => r.EventId));
        Assert.Equal(["evt_moving"], applied.Records.Select(r => r.EventId));
        Assert.Equal(["evt_waiting"], stuckAfter.Select(r => r.EventId));
        Assert.Equal(["stripe!evt_waiting"], receivedRows); // the stale row was pruned when read
    }

    [Fact]
    public async Task AFailedInsert_LeavesNoListingInItsState()
    {
        var store = new TableWebhookStore(() => azurite.TableService(), azurite.UniqueName("wi"));
        await store.TryAddAsync(Record("evt_once", WebhookStates.Enqueued), default);

        var again = await store.TryAddAsync(Record("evt_once", WebhookStates.Poisoned), default);
        var poisoned = await store.ListAsync("stripe", WebhookStates.Poisoned, 50, null, default);
        var enqueued = await store.ListAsync("stripe", WebhookStates.Enqueued, 50, null, default);

        Assert.Null(again);
        Assert.Empty(poisoned.Records);
        Assert.Equal(["evt_once"], enqueued.Records.Select(r => r.EventId));
    }

    [Fact]
    public async Task ARecordEnteringTheStateBetweenTwoReads_KeepsItsRow_EvenIfItsWriterDiedBeforeIndexingAgain()
    {
        var prefix = azurite.UniqueName("wi");
        var store = new TableWebhookStore(() => azurite.TableService(), prefix);
        var records = azurite.TableService().GetTableClient(prefix + TableWebhookStore.TableName);
        var index = azurite.TableService().GetTableClient(prefix + TableWebhookStore.IndexTableName);
        await store.TryAddAsync(Record("evt_replayed", WebhookStates.Poisoned), default);

        // A replay's writer indexes the row first; a reader sees the record still poisoned; the writer swaps the record to
        // received and dies before its second index write.
        await index.UpsertEntityAsync(new TableEntity(WebhookStates.Received, "stripe!evt_replayed"), TableUpdateMode.Replace);
        var firstRead = await store.ListAsync("stripe", WebhookStates.Received, 50, null, default);
        await records.UpdateEntityAsync(new TableEntity("stripe", "evt_replayed") { ["State"] = WebhookStates.Received }, global::Azure.ETag.All, TableUpdateMode.Merge);
        var stuck = await store.ListStuckAsync(WebhookStates.Received, At.AddMinutes(1), 50, default);

        Assert.Empty(firstRead.Records);
        Assert.Equal(["evt_replayed"], stuck.Select(r => r.EventId));
        Assert.Equal(["stripe!evt_replayed"], index.Query<TableEntity>(e => e.PartitionKey == WebhookStates.Received).Select(e => e.RowKey).ToList());
    }

    [Fact]
    public async Task AStaleRow_SurvivesOneRead_AndGoesOnTheNext()
    {
        var prefix = azurite.UniqueName("wi");
        var store = new TableWebhookStore(() => azurite.TableService(), prefix);
        var index = azurite.TableService().GetTableClient(prefix + TableWebhookStore.IndexTableName);
        var record = Record("evt_done", WebhookStates.Received);
        var etag = await store.TryAddAsync(record, default);
        await store.TryReplaceAsync(record with { State = WebhookStates.Applied }, etag!, default);

        await store.ListAsync(null, WebhookStates.Received, 50, null, default);
        var afterOne = index.Query<TableEntity>(e => e.PartitionKey == WebhookStates.Received).ToList();
        await store.ListAsync(null, WebhookStates.Received, 50, null, default);
        var afterTwo = index.Query<TableEntity>(e => e.PartitionKey == WebhookStates.Received).ToList();

        Assert.Equal(true, Assert.Single(afterOne).GetBoolean("Stale"));
        Assert.Empty(afterTwo);
    }

    private static WebhookRecord Record(string id, string state) =>
        new("stripe", id, "invoice.paid", At, new string('a', 64), 10, state, 0, null, At, null, 0, null, null);
}
