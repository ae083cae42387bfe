using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Rtgf.Azure.Access;
using Rtgf.Functions.Functions;
using Rtgf.Pipeline.Access;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Access;

/// <summary>
/// <c>access-cleanup</c> over the real stores on Azurite: old usage windows and expired blocks go, current ones stay, two
/// runs at once agree, and a run does bounded work.
/// </summary>
public sealed class AccessCleanupTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 30, 15, TimeSpan.Zero);

    [Fact]
    public void Function_IsATimerOnItsScheduleSetting()
    {
        var function = FunctionIndex.ForApp()["access-cleanup"];

        Assert.Equal("timer", function.Trigger);
        Assert.Equal("%ACCESS_CLEANUP_SCHEDULE%", function.Schedule);
        Assert.Empty(function.Outputs);
    }

    [Fact]
    public async Task TwoRunsAtOnce_DeleteEveryStaleRowOnce_AndNothingInForce()
    {
        var (tables, table, blocks) = await SeedAsync(keys: 8);
        var clock = new ManualTimeProvider(Now);
        var options = new AccessCleanupOptions { PageSize = 3 }; // small pages, so the two runs interleave
        var first = new AccessCleanup(tables, clock, options);
        var second = new AccessCleanup(tables, clock, options);

        var summaries = await Task.WhenAll(Task.Run(() => first.RunAsync(default)), Task.Run(() => second.RunAsync(default)));

        Assert.Equal(8 * 2, summaries.Sum(s => s.MinuteRows)); // each stale row counted by the run that deleted it
        Assert.Equal(8, summaries.Sum(s => s.MonthRows));
        Assert.Equal(2, summaries.Sum(s => s.ExpiredBlocks));
        Assert.All(summaries, s => Assert.False(s.More));
        Assert.Equal(Kept(keys: 8), await RowsAsync(table(AccessTables.ApiUsage)));
        var active = await blocks.ActiveAsync(Now, default);
        Assert.Equal(["2001:db8:1:2::/64", "203.0.113.20"], active.Select(b => b.Address));
        Assert.Equal(Now.AddMinutes(20), active[1].Until); // the later of its two blocks in force
        Assert.Equal(3, (await RowsAsync(table(AccessTables.AbuseBlocks))).Count); // the ones in force, nothing expired
    }

    [Fact]
    public async Task ARunDoesBoundedWork_AndTheNextOneFinishes()
    {
        var (tables, table, _) = await SeedAsync(keys: 4);
        var options = new AccessCleanupOptions { RowsPerPass = 5, PageSize = 2, RunBudget = TimeSpan.Zero }; // one pass a run
        var cleanup = new AccessCleanup(tables, new ManualTimeProvider(Now), options);

        var first = await cleanup.RunAsync(default);
        var second = await cleanup.RunAsync(default);
        var third = await cleanup.RunAsync(default);

        Assert.Equal((5, 4, 2, true), (first.MinuteRows, first.MonthRows, first.ExpiredBlocks, first.More)); // 8 stale minute rows, 5 a run
        Assert.Equal((3, 0, 0, false), (second.MinuteRows, second.MonthRows, second.ExpiredBlocks, second.More));
        Assert.Equal((0, 0, 0, false), (third.MinuteRows, third.MonthRows, third.ExpiredBlocks, third.More));
        Assert.Equal(Kept(keys: 4), await RowsAsync(table(AccessTables.ApiUsage)));
        Assert.Contains("deleted 5 minute row(s), 4 month row(s), 2 expired block(s)", first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunWithinItsBudget_GoesOnPastOnePass_AndLeavesNothingStale()
    {
        var (tables, table, _) = await SeedAsync(keys: 4);
        var cleanup = new AccessCleanup(tables, new ManualTimeProvider(Now), new AccessCleanupOptions { RowsPerPass = 5, PageSize = 2 });

        var run = await cleanup.RunAsync(default);

        Assert.Equal((8, 4, 2, 0, false), (run.MinuteRows, run.MonthRows, run.ExpiredBlocks, run.Kept, run.More));
        Assert.Equal(Kept(keys: 4), await RowsAsync(table(AccessTables.ApiUsage)));
    }

    [Fact]
    public async Task ARunPastItsBudget_StartsNoFurtherPass()
    {
        var (tables, table, _) = await SeedAsync(keys: 8);
        var clock = new SteppingClock(Now, TimeSpan.FromMinutes(1)); // every reading a minute later
        var cleanup = new AccessCleanup(tables, clock, new AccessCleanupOptions { RowsPerPass = 5, PageSize = 2, RunBudget = TimeSpan.FromSeconds(90) });

        var first = await cleanup.RunAsync(default);

        // Two passes (the budget is checked after each): 10 of 16 stale minute rows, all 8 month rows and both blocks.
        Assert.Equal((10, 8, 2, true), (first.MinuteRows, first.MonthRows, first.ExpiredBlocks, first.More));
        Assert.Equal(6, (await RowsAsync(table(AccessTables.ApiUsage))).Count - Kept(keys: 8).Count);
    }

    [Fact]
    public async Task ARowChangedBetweenTheReadAndTheDelete_Survives_AndTheRestOfItsPartitionGoes()
    {
        var azurite = await Support.SharedAzurite.GetAsync();
        var prefix = azurite.UniqueName("cchg");
        var plain = new AccessTables(() => azurite.TableService(), prefix);
        var usage = new TableUsageCounterStore(plain);
        foreach (var window in Stale().Concat(KeptWindows()))
        {
            await usage.AddAsync("k0", window, 1, default);
        }

        // Just before the run's first delete (a transaction of k0's two stale minute rows), a late flush writes one of them.
        var changed = UsageWindows.Minute(Now.AddHours(-3));
        var flush = new BeforeFirstDelete(() => azurite.TableService().GetTableClient(prefix + AccessTables.ApiUsage)
            .UpsertEntityAsync(new TableEntity("k0", changed) { ["Late"] = 1 }, TableUpdateMode.Merge));
        var options = new TableClientOptions();
        options.AddPolicy(flush, HttpPipelinePosition.PerCall);
        var cleanup = new AccessCleanup(new AccessTables(() => azurite.TableService(options), prefix), new ManualTimeProvider(Now), new AccessCleanupOptions());

        var run = await cleanup.RunAsync(default);

        Assert.True(flush.Done);
        Assert.Equal((1, 1, 1, false), (run.MinuteRows, run.MonthRows, run.Kept, run.More));
        var rows = await RowsAsync(azurite.TableService().GetTableClient(prefix + AccessTables.ApiUsage));
        Assert.Equal([.. KeptWindows().Append(changed).Select(w => "k0/" + w).Order(StringComparer.Ordinal)], rows);
    }

    [Fact]
    public async Task OldFormatBlockRows_AreDeletedOnceExpired()
    {
        var (tables, table, blocks) = await SeedAsync(keys: 1);
        var blockTable = table(AccessTables.AbuseBlocks);
        await blockTable.AddEntityAsync(new TableEntity("block", "203.0.113.30") { ["Until"] = Now.AddMinutes(-1), ["Reason"] = "old format, expired" });
        await blockTable.AddEntityAsync(new TableEntity("block", "203.0.113.31") { ["Until"] = Now, ["Reason"] = "old format, ends now" });
        await blockTable.AddEntityAsync(new TableEntity("block", "203.0.113.32") { ["Until"] = Now.AddMinutes(5), ["Reason"] = "old format, not yet expired" });

        var run = await new AccessCleanup(tables, new ManualTimeProvider(Now), new AccessCleanupOptions()).RunAsync(default);

        Assert.Equal(2 + 2, run.ExpiredBlocks);
        Assert.Equal(["block/203.0.113.32"], (await RowsAsync(blockTable)).Where(r => r.StartsWith("block/", StringComparison.Ordinal)));
        Assert.DoesNotContain(await blocks.ActiveAsync(Now, default), b => b.Address == "203.0.113.32"); // never honoured: nothing reads the old format
    }

    [Fact]
    public async Task IPv6Blocks_AreWrittenAndRead()
    {
        var azurite = await Support.SharedAzurite.GetAsync();
        var store = new TableAbuseBlockStore(new AccessTables(() => azurite.TableService(), azurite.UniqueName("blk6")));

        await store.BlockAsync(new AbuseBlock("2001:db8::/64", Now.AddMinutes(15), "scan"), default);

        Assert.Equal("2001:db8::/64", Assert.Single(await store.ActiveAsync(Now, default)).Address);
        Assert.Empty(await store.ActiveAsync(Now.AddMinutes(15), default)); // expiry is exclusive
    }

    /// <summary>
    /// Per key: minute rows 3 h and 2 h 1 min old (stale), 1 h 59 min old and now (kept); month rows of August (stale: more
    /// than 3 months before December), September and December (kept). Blocks: two expired, three in force (one address
    /// twice, extended).
    /// </summary>
    private static async Task<(AccessTables Tables, Func<string, TableClient> Table, TableAbuseBlockStore Blocks)> SeedAsync(int keys)
    {
        var azurite = await Support.SharedAzurite.GetAsync();
        var prefix = azurite.UniqueName("clean");
        var tables = new AccessTables(() => azurite.TableService(), prefix);
        var usage = new TableUsageCounterStore(tables);
        var blocks = new TableAbuseBlockStore(tables);
        await Task.WhenAll(Enumerable.Range(0, keys).Select(async k =>
        {
            foreach (var window in Stale().Concat(KeptWindows()))
            {
                await usage.AddAsync("k" + k, window, 1, default);
            }
        }));

        await blocks.BlockAsync(new AbuseBlock("203.0.113.10", Now.AddMinutes(-1), "old"), default);
        await blocks.BlockAsync(new AbuseBlock("2001:db8:9::/64", Now, "ends now"), default);
        await blocks.BlockAsync(new AbuseBlock("203.0.113.20", Now.AddMinutes(5), "first"), default);
        await blocks.BlockAsync(new AbuseBlock("203.0.113.20", Now.AddMinutes(20), "extended"), default);
        await blocks.BlockAsync(new AbuseBlock("2001:db8:1:2::/64", Now.AddTicks(1), "just in force"), default);
        return (tables, name => azurite.TableService().GetTableClient(prefix + name), blocks);
    }

    private static IEnumerable<string> Stale() =>
        [UsageWindows.Minute(Now.AddHours(-3)), UsageWindows.Minute(Now.AddMinutes(-121)), UsageWindows.Month(Now.AddMonths(-4))];

    private static IEnumerable<string> KeptWindows() =>
        [UsageWindows.Minute(Now.AddMinutes(-119)), UsageWindows.Minute(Now), UsageWindows.Month(Now.AddMonths(-3)), UsageWindows.Month(Now)];

    private static List<string> Kept(int keys) =>
        [.. Enumerable.Range(0, keys).SelectMany(k => KeptWindows().Select(w => "k" + k + "/" + w)).Order(StringComparer.Ordinal)];

    /// <summary>A clock that moves on by <paramref name="step"/> every time it is read.</summary>
    private sealed class SteppingClock(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private long _ticks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref _ticks, step.Ticks) - step.Ticks, TimeSpan.Zero);
    }

    /// <summary>Runs an action once, just before the first delete (single or in a transaction) goes out.</summary>
    private sealed class BeforeFirstDelete(Func<Task> action) : HttpPipelinePolicy
    {
        private int _done;

        public bool Done => Volatile.Read(ref _done) == 1;

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var request = message.Request;
            var isDelete = request.Method == RequestMethod.Delete
                || (request.Method == RequestMethod.Post && request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal));
            if (isDelete && Interlocked.Exchange(ref _done, 1) == 0)
            {
                await action();
            }

            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();
    }

    private static async Task<List<string>> RowsAsync(TableClient table)
    {
        var rows = new List<string>();
        await foreach (var e in table.QueryAsync<TableEntity>())
        {
            rows.Add(e.PartitionKey + "/" + e.RowKey);
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }
}
