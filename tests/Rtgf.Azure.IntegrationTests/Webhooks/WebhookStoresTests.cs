using System.Text;
using Rtgf.Azure.Webhooks;
using Rtgf.Pipeline.Webhooks;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Webhooks;

/// <summary>The bus's Table and Blob stores on Azurite: insert once, compare-and-swap, filtered listing, create-only bodies.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookStoresTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Record_IsAddedOnce_AndChangedOnlyAtItsETag()
    {
        var store = new TableWebhookStore(() => azurite.TableService(), azurite.UniqueName("wh"));
        var record = Record("evt_1", WebhookStates.Received, At);

        var etag = await store.TryAddAsync(record, default);
        var again = await store.TryAddAsync(record with { EventType = "other" }, default);
        var swapped = await store.TryReplaceAsync(record with { State = WebhookStates.Enqueued }, etag!, default);
        var stale = await store.TryReplaceAsync(record with { State = WebhookStates.Applied }, etag!, default);
        var stored = await store.GetAsync("stripe", "evt_1", default);

        Assert.NotNull(etag);
        Assert.Null(again);
        Assert.True(swapped);
        Assert.False(stale);
        Assert.Equal(record with { State = WebhookStates.Enqueued }, stored!.Record);
    }

    [Fact]
    public async Task List_FiltersByProviderAndState_AndStuckFindsOnlyOldReceivedRecords()
    {
        var store = new TableWebhookStore(() => azurite.TableService(), azurite.UniqueName("wh"));
        await store.TryAddAsync(Record("evt_old", WebhookStates.Received, At), default);
        await store.TryAddAsync(Record("evt_new", WebhookStates.Received, At.AddMinutes(10)), default);
        await store.TryAddAsync(Record("evt_done", WebhookStates.Applied, At), default);
        await store.TryAddAsync(Record("msg_1", WebhookStates.Received, At) with { Provider = "resend" }, default);

        var received = await store.ListAsync("stripe", WebhookStates.Received, 50, null, default);
        var all = await store.ListAsync(null, null, 50, null, default);
        var stuck = await store.ListStuckAsync(WebhookStates.Received, At.AddMinutes(5), 50, default);

        Assert.Equal(["evt_new", "evt_old"], received.Records.Select(r => r.EventId));
        Assert.Equal(4, all.Records.Count);
        Assert.Equal(["evt_old", "msg_1"], stuck.Select(r => r.EventId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Body_IsCreateOnly_UnderItsDigest()
    {
        var bodies = new BlobWebhookBodyStore(azurite.BlobService().GetBlobContainerClient(azurite.UniqueName("wh")));
        var body = Encoding.UTF8.GetBytes("""{"id":"evt_1"}""");
        var digest = WebhookInbox.Digest(body);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => bodies.PutAsync(digest, body, default)));

        Assert.Equal(body, await bodies.GetAsync(digest, default));
        Assert.Null(await bodies.GetAsync(new string('0', 64), default));
        Assert.Throws<ArgumentException>(() => BlobWebhookBodyStore.Name("../x"));
    }

    private static WebhookRecord Record(string id, string state, DateTimeOffset updatedAt) =>
        new("stripe", id, "invoice.paid", At, new string('a', 64), 10, state, 0, null, updatedAt, null, 0, null, null);
}
