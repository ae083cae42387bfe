using Azure.Data.Tables;
using Rtgf.Azure.Audit;
using Rtgf.Pipeline.Audit;
using Rtgf.Pipeline.Operations;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Audit;

/// <summary>The audit table on Azurite: newest first across months, paging, filters, and one entry per id however it is appended.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableAuditTrailTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset From = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Pages_GoNewestFirstAcrossMonths_WithoutGapsOrDuplicates()
    {
        var trail = NewTrail(out _);
        var entries = new[]
        {
            Entry("a", new DateTimeOffset(2026, 10, 31, 23, 59, 59, TimeSpan.Zero)),
            Entry("b", new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero)),
            Entry("c", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)),
            Entry("d", new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero)),
            Entry("e", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(10))), // 2026-11-30T14:00Z: November
        };
        foreach (var entry in entries)
        {
            await trail.AppendAsync(entry);
        }

        var seen = new List<string>();
        var pages = 0;
        string? continuation = null;
        do
        {
            var page = await trail.ReadPageAsync(From, To, null, null, continuation, 2);
            Assert.InRange(page.Entries.Count, 1, 2);
            seen.AddRange(page.Entries.Select(e => e.Id));
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null);

        Assert.Equal(["b", "e", "c", "a", "d"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task AnEntry_ReadsBackAsWritten_WithItsDetailsInOrdinalOrder()
    {
        var trail = NewTrail(out _);
        var at = new DateTimeOffset(2026, 12, 5, 10, 30, 0, TimeSpan.Zero);
        await trail.AppendAsync(new AuditEntry("x-1", at, "ops@example.org", AuditActions.RevocationManual, "tok", new Dictionary<string, string> { ["reason"] = "court order", ["epoch"] = "7" }));

        var read = Assert.Single((await trail.ReadPageAsync(From, To, null, null, null, 10)).Entries);

        Assert.Equal(("x-1", at, "ops@example.org", AuditActions.RevocationManual, "tok"), (read.Id, read.At, read.Actor, read.Action, read.Subject));
        Assert.Equal(["epoch", "reason"], read.Details.Keys);
        Assert.Equal("court order", read.Details["reason"]);
    }

    [Fact]
    public async Task Filters_KeepOnlyTheActionActorAndRange_AndTheRangeEndIsExclusive()
    {
        var trail = NewTrail(out _);
        var at = new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
        await trail.AppendAsync(Entry("k1", at, AuditActions.ApiKeyCreated, "alice"));
        await trail.AppendAsync(Entry("k2", at.AddDays(1), AuditActions.ApiKeyRevoked, "alice"));
        await trail.AppendAsync(Entry("k3", at.AddDays(2), AuditActions.ApiKeyRevoked, "bob"));
        await trail.AppendAsync(Entry("k4", at.AddDays(30), AuditActions.ApiKeyRevoked, "alice"));

        var revoked = await trail.ReadPageAsync(From, To, AuditActions.ApiKeyRevoked, null, null, 10);
        var alice = await trail.ReadPageAsync(From, To, null, "alice", null, 10);
        var both = await trail.ReadPageAsync(From, To, AuditActions.ApiKeyRevoked, "alice", null, 10);
        var range = await trail.ReadPageAsync(at, at.AddDays(2), null, null, null, 10);

        Assert.Equal(["k4", "k3", "k2"], revoked.Entries.Select(e => e.Id));
        Assert.Equal(["k4", "k2", "k1"], alice.Entries.Select(e => e.Id));
        Assert.Equal(["k4", "k2"], both.Entries.Select(e => e.Id));
        Assert.Equal(["k2", "k1"], range.Entries.Select(e => e.Id)); // from inclusive, to (k3's instant) exclusive
        Assert.Null(range.Continuation);
    }

    [Fact]
    public async Task ARetriedAppend_OfTheSameId_StoresOneEntry_AndKeepsTheFirst()
    {
        var trail = NewTrail(out var table);
        var at = new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
        await trail.AppendAsync(Entry("same", at, actor: "first"));

        await trail.AppendAsync(Entry("same", at.AddSeconds(5), actor: "second"));

        var read = Assert.Single((await trail.ReadPageAsync(From, To, null, null, null, 10)).Entries);
        Assert.Equal("first", read.Actor);
        Assert.Equal(2, await CountRowsAsync(table)); // the entry and its marker
    }

    [Fact]
    public async Task ConcurrentAppends_OfOneId_StoreOneEntry_AndOfDifferentIds_StoreEach()
    {
        var trail = NewTrail(out var table);
        var other = new TableAuditTrail(() => azurite.TableService(), PrefixOf(table)); // a second instance over the same table
        var at = new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? trail : other).AppendAsync(Entry("one", at.AddMilliseconds(i)))));
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? trail : other).AppendAsync(Entry("many-" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), at))));

        var read = await trail.ReadPageAsync(From, To, null, null, null, 100);
        Assert.Single(read.Entries, e => e.Id == "one");
        Assert.Equal(16, read.Entries.Count(e => e.Id.StartsWith("many-", StringComparison.Ordinal)));
        Assert.Equal(34, await CountRowsAsync(table));
    }

    [Theory]
    [InlineData("not a continuation")]
    [InlineData("a1.e-3155378975999999999-00000000000000000000000000000000.000000000000000000000000")]
    [InlineData("a2.e-0000000000000000001-00000000000000000000000000000000.000000000000000000000000")]
    [InlineData("a1.e-9999999999999999999-00000000000000000000000000000000.000000000000000000000000")]
    public async Task AMadeUpContinuation_IsRefused(string continuation)
    {
        var trail = NewTrail(out _);

        await Assert.ThrowsAsync<AuditContinuationException>(() => trail.ReadPageAsync(From, To, null, null, continuation, 10));
    }

    [Fact]
    public async Task AContinuation_IsBoundToItsFilter_AndToTheRange_AndAnEditedOneIsRefused()
    {
        var trail = NewTrail(out _);
        var at = new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
        {
            await trail.AppendAsync(Entry("f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), at.AddHours(i), AuditActions.FreezeCleared, "alice"));
        }

        var first = await trail.ReadPageAsync(From, To, AuditActions.FreezeCleared, null, null, 1);
        var next = first.Continuation!;
        var edited = next[..^1] + (next[^1] == '0' ? '1' : '0');

        var second = await trail.ReadPageAsync(From, To.AddMonths(1), AuditActions.FreezeCleared, null, next, 1); // a later 'to' is fine
        await Assert.ThrowsAsync<AuditContinuationException>(() => trail.ReadPageAsync(From, To, AuditActions.FreezeCleared, "alice", next, 1));
        await Assert.ThrowsAsync<AuditContinuationException>(() => trail.ReadPageAsync(From, To, null, null, next, 1));
        await Assert.ThrowsAsync<AuditContinuationException>(() => trail.ReadPageAsync(at.AddDays(1), To, AuditActions.FreezeCleared, null, next, 1));
        await Assert.ThrowsAsync<AuditContinuationException>(() => trail.ReadPageAsync(From, To, AuditActions.FreezeCleared, null, edited, 1));
        Assert.Equal(["f2"], first.Entries.Select(e => e.Id));
        Assert.Equal(["f1"], second.Entries.Select(e => e.Id));
    }

    private TableAuditTrail NewTrail(out TableClient table)
    {
        var prefix = azurite.UniqueName("aud");
        table = azurite.TableService().GetTableClient(prefix + OperationsStorage.AuditTable);
        return new TableAuditTrail(() => azurite.TableService(), prefix);
    }

    private static string PrefixOf(TableClient table) => table.Name[..^OperationsStorage.AuditTable.Length];

    private static async Task<int> CountRowsAsync(TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>())
        {
            count++;
        }

        return count;
    }

    private static AuditEntry Entry(string id, DateTimeOffset at, string action = AuditActions.ApiKeyCreated, string actor = "admin-key") =>
        new(id, at, actor, action, "subject-" + id, new Dictionary<string, string> { ["note"] = "n" });
}
