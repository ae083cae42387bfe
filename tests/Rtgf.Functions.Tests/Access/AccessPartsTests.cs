using Microsoft.Extensions.Configuration;
using Rtgf.Pipeline.Access;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Access;

/// <summary>The gate's parts on their own: key format, hash key setting, token buckets, plans.</summary>
public sealed class AccessPartsTests
{
    [Fact]
    public void Keys_RoundTrip_AndDifferEveryTime()
    {
        var id = ApiKeySecret.NewId();
        var secret = ApiKeySecret.NewSecret();
        var key = ApiKeySecret.Format(id, secret);
        var parsed = new byte[ApiKeySecret.SecretBytes];

        Assert.True(ApiKeySecret.TryParse(key, out var parsedId, parsed));
        Assert.Equal(id, parsedId);
        Assert.Equal(secret, parsed);
        Assert.Equal(ApiKeySecret.Length, key.Length);
        Assert.NotEqual(id, ApiKeySecret.NewId());
        Assert.NotEqual(secret, ApiKeySecret.NewSecret());
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("", "missing")]
    [InlineData("not base64!", "not base64")]
    [InlineData("c2hvcnQ=", "at least 32")]
    public void HashKey_Unusable_SaysWhy_WithoutTheValue(string? setting, string reason)
    {
        Assert.Null(ApiKeyHasher.FromSetting(setting, out var problem));
        Assert.Contains(ApiKeyHasher.Setting, problem, StringComparison.Ordinal);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(setting))
        {
            Assert.DoesNotContain(setting, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void HashKey_HashesAndMatches()
    {
        var hasher = ApiKeyHasher.FromSetting(Convert.ToBase64String(new byte[32]), out _)!;
        var secret = new byte[ApiKeySecret.SecretBytes];
        var other = new byte[ApiKeySecret.SecretBytes];
        other[^1] = 1;

        Assert.True(hasher.Matches(secret, hasher.Hash(secret)));
        Assert.False(hasher.Matches(other, hasher.Hash(secret)));
    }

    [Fact]
    public void Bucket_AllowsTheBurst_ThenOneTokenPerPeriod_OnTheInjectedClock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
        var buckets = new LocalBuckets(clock);
        var first = Enumerable.Range(0, 4).Select(i => buckets.TryAcquire("k", 3, 60, out _, out _)).ToList();
        buckets.TryAcquire("k", 3, 60, out var retryAfter, out _);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        var early = buckets.TryAcquire("k", 3, 60, out _, out _);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var onTime = buckets.TryAcquire("k", 3, 60, out _, out _);
        clock.Advance(TimeSpan.FromHours(1));
        var refilled = Enumerable.Range(0, 4).Count(i => buckets.TryAcquire("k", 3, 60, out _, out _));

        Assert.Equal([true, true, true, false], first);
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
        Assert.False(early);
        Assert.True(onTime);
        Assert.Equal(3, refilled); // never more than the burst, however long it was idle
        Assert.True(buckets.TryAcquire("other", 3, 60, out _, out _)); // partitions are independent
    }

    [Fact]
    public async Task UsageCounters_OfPastWindows_AreDropped_EvenWithRequestsPending()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 30, TimeSpan.Zero));
        var store = new MemoryUsageCounterStore();
        var counters = new SharedUsageCounters(store, clock, TimeSpan.FromMinutes(10));
        for (var key = 0; key < 50; key++)
        {
            // The first take writes (nothing flushed yet), the second stays pending: a batch is 50 of a 1,000 limit.
            await counters.TryTakeAsync("k" + key, UsageWindows.Minute(clock.GetUtcNow()), 1000, default);
            await counters.TryTakeAsync("k" + key, UsageWindows.Minute(clock.GetUtcNow()), 1000, default);
        }

        var before = counters.Count;
        clock.Advance(TimeSpan.FromMinutes(1));
        await counters.TryTakeAsync("k0", UsageWindows.Minute(clock.GetUtcNow()), 1000, default);

        Assert.Equal(50, before);
        Assert.Equal(1, counters.Count); // only the current minute's window is left
    }

    [Fact]
    public async Task UsageCounters_OnAColdInstance_ReadTheSharedTotalBeforeTheFirstRequest()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 30, TimeSpan.Zero));
        var store = new MemoryUsageCounterStore();
        var month = UsageWindows.Month(clock.GetUtcNow());
        await store.AddAsync("k", month, 1000, default); // other instances used the whole quota
        var cold = new SharedUsageCounters(store, clock, TimeSpan.FromSeconds(1));

        var first = await cold.TryTakeAsync("k", month, 1000, default);

        Assert.False(first.Allowed);
        Assert.Equal(1001, first.Used);
    }

    [Fact]
    public async Task Scans_BlockTheAddress_InTheSharedTable_UntilTheBlockExpires()
    {
        var azurite = await Support.SharedAzurite.GetAsync();
        var tables = new Rtgf.Azure.Access.AccessTables(() => azurite.TableService(), azurite.UniqueName("abuse"));
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 30, TimeSpan.Zero));
        var rules = new AbuseRules(UnauthorizedPerMinute: 2, NotFoundPerMinute: 3, BlockFor: TimeSpan.FromMinutes(15), RefreshEvery: TimeSpan.FromSeconds(10));
        using var here = new AbuseList(new Rtgf.Azure.Access.TableAbuseBlockStore(tables), clock, rules);
        using var elsewhere = new AbuseList(new Rtgf.Azure.Access.TableAbuseBlockStore(tables), clock, rules);
        Assert.Null(await elsewhere.BlockOfAsync("203.0.113.5", default)); // read once: empty

        var earned = new List<AbuseBlock?>();
        foreach (var status in new[] { 404, 200, 404, 500, 404 })
        {
            earned.Add(await here.RecordAsync("203.0.113.5", status, default));
        }

        var blockedHere = await here.BlockOfAsync("203.0.113.5", default);
        var notYetElsewhere = await elsewhere.BlockOfAsync("203.0.113.5", default);
        clock.Advance(TimeSpan.FromSeconds(10));
        var blockedElsewhere = await elsewhere.BlockOfAsync("203.0.113.5", default);
        var otherAddress = await elsewhere.BlockOfAsync("203.0.113.6", default);
        clock.Advance(TimeSpan.FromMinutes(15));
        var expired = await elsewhere.BlockOfAsync("203.0.113.5", default);

        Assert.Equal(4, earned.Take(4).Count(b => b is null));
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromSeconds(10), earned[4]!.Until);
        Assert.NotNull(blockedHere);
        Assert.Null(notYetElsewhere); // its copy of the list is under 10 s old
        Assert.Equal("3 not-found answers in a minute", blockedElsewhere!.Reason);
        Assert.Null(otherAddress);
        Assert.Null(expired);
    }

    [Fact]
    public async Task Block_WhoseSharedWriteFails_IsInForceHere_AndTheFailureIsReported()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 30, TimeSpan.Zero));
        var rules = new AbuseRules(UnauthorizedPerMinute: 2, NotFoundPerMinute: 3, BlockFor: TimeSpan.FromMinutes(15), RefreshEvery: TimeSpan.FromSeconds(10));
        using var abuse = new AbuseList(new UnwritableBlockStore(), clock, rules);
        var failures = new List<AbuseBlock>();
        abuse.BlockFailed += (block, _) => failures.Add(block);

        var earned = new List<AbuseBlock?>();
        for (var i = 0; i < 4; i++)
        {
            earned.Add(await abuse.RecordAsync("203.0.113.9", 401, default));
        }

        clock.Advance(TimeSpan.FromSeconds(10)); // a refresh reads the (empty) shared list: the local block stays
        var blocked = await abuse.BlockOfAsync("203.0.113.9", default);

        Assert.Equal([false, true, false, false], earned.Select(b => b is not null));
        Assert.Equal("203.0.113.9", Assert.Single(failures).Address);
        Assert.NotNull(blocked);
    }

    [Fact]
    public async Task UnknownKeyIds_PastTheReadBudget_AreRefusedWithoutAStorageRead()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 30, TimeSpan.Zero));
        var keys = new EmptyKeyStore();
        var hasher = ApiKeyHasher.FromSetting(Convert.ToBase64String(new byte[32]), out var problem);
        using var abuse = new AbuseList(new UnwritableBlockStore(), clock, AbuseRules.Default);
        var gate = new ApiAccessGate(keys, hasher, problem, new ApiPlans([]), new MemoryUsageCounterStore(), abuse, clock, new ApiAccessOptions { UnknownKeyReadsPerMinute = 60 });

        var outcomes = new List<AccessOutcome>();
        for (var i = 0; i < 3; i++)
        {
            var key = ApiKeySecret.Format(ApiKeySecret.NewId(), ApiKeySecret.NewSecret());
            outcomes.Add((await gate.CheckAsync(AccessArea.Catalogue, "Bearer " + key, "203.0.113.7", default)).Outcome);
        }

        Assert.Equal([AccessOutcome.Unauthorized, AccessOutcome.Unauthorized, AccessOutcome.RateLimited], outcomes); // a budget of 2 (60/30)
        Assert.Equal(2, keys.Reads);
    }

    [Fact]
    public async Task AnonymousRateLimit_SaysWhenTheBucketRefills_NotWhenTheMinuteEnds()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 30, TimeSpan.Zero)); // 30 s to the minute's end
        using var abuse = new AbuseList(new UnwritableBlockStore(), clock, AbuseRules.Default);
        var gate = new ApiAccessGate(new EmptyKeyStore(), null, "unused", new ApiPlans([]), new MemoryUsageCounterStore(), abuse, clock, new ApiAccessOptions { AnonymousRequestsPerMinute = 60 });
        async Task<AccessDecision> Request() => await gate.CheckAsync(AccessArea.Catalogue, null, "203.0.113.30", default);

        var first = await Request();
        for (var i = 0; i < 8; i++)
        {
            await Request();
        }

        var tenth = await Request();
        clock.Advance(TimeSpan.FromMilliseconds(4500)); // four tokens back (one a second), half-way to the fifth
        var later = await Request();
        AccessDecision last = later;
        for (var i = 0; i < 53; i++)
        {
            last = await Request();
        }

        var refused = await Request();

        Assert.Equal("\"anonymous\";r=59;t=1", first.RateLimit); // one token short of full: back in a second
        Assert.Equal("\"anonymous\";r=50;t=10", tenth.RateLimit);
        Assert.Equal("\"anonymous\";r=53;t=7", later.RateLimit); // 6.5 s until the seven missing tokens are back
        Assert.Equal(AccessOutcome.Allowed, last.Outcome);
        Assert.Equal("\"anonymous\";r=0;t=60", last.RateLimit);
        Assert.Equal(AccessOutcome.RateLimited, refused.Outcome);
        Assert.Equal("\"anonymous\";r=0;t=1", refused.RateLimit); // the next token, as Retry-After
        Assert.Equal(TimeSpan.FromMilliseconds(500), refused.RetryAfter);
    }

    [Fact]
    public async Task UsageCounters_ARequestGivenBack_FreesItsSlot_WrittenOrNot()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 30, TimeSpan.Zero));
        var store = new MemoryUsageCounterStore();
        var counters = new SharedUsageCounters(store, clock, TimeSpan.FromMinutes(10));
        var minute = UsageWindows.Minute(clock.GetUtcNow());

        var taken = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            taken.Add((await counters.TryTakeAsync("k", minute, 2, default)).Allowed);
        }

        counters.GiveBack("k", minute); // the second request was written (a limit of 2 writes every request): -1 goes with the next write
        var afterGiveBack = await counters.TryTakeAsync("k", minute, 2, default);
        var full = await counters.TryTakeAsync("k", minute, 2, default);

        Assert.Equal([true, true, false], taken);
        Assert.True(afterGiveBack.Allowed);
        Assert.False(full.Allowed);
        Assert.Equal(2, await store.AddAsync("k", minute, 0, default)); // the shared row counts the two requests served
    }

    [Fact]
    public void UsageCounters_BatchShrinksWithTheHeadroomLastRead()
    {
        Assert.Equal(50, SharedUsageCounters.Batch(1000, 0));
        Assert.Equal(50, SharedUsageCounters.Batch(1000, 500));
        Assert.Equal(19, SharedUsageCounters.Batch(1000, 801));
        Assert.Equal(1, SharedUsageCounters.Batch(1000, 995));
        Assert.Equal(1, SharedUsageCounters.Batch(1000, 1200));
        Assert.Equal(1, SharedUsageCounters.Batch(30, 0));
    }

    [Fact]
    public async Task TwoInstancesNearTheLimit_OvershootByLessThanABatch()
    {
        // Two instances over one counter row; other instances have already used 800 of this minute's 1,000.
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 30, TimeSpan.Zero));
        var store = new MemoryUsageCounterStore();
        var minute = UsageWindows.Minute(clock.GetUtcNow());
        await store.AddAsync("k", minute, 800, default);
        var a = new SharedUsageCounters(store, clock, TimeSpan.FromMinutes(10));
        var b = new SharedUsageCounters(store, clock, TimeSpan.FromMinutes(10));
        var admitted = 0;
        async Task<bool> Take(SharedUsageCounters instance)
        {
            var allowed = (await instance.TryTakeAsync("k", minute, 1000, default)).Allowed;
            admitted += allowed ? 1 : 0;
            return allowed;
        }

        await Take(a); // each reads the shared total first (801, then 802): 198 left, a batch of 19
        await Take(b);
        for (var i = 0; i < 40; i++)
        {
            await Take(a); // written after 19 (total 821, batch 17) and 17 more (838, batch 16): 4 left unwritten
        }

        while (await Take(b))
        {
        }

        var aView = a.Known("k", minute);
        while (await Take(a))
        {
        }

        Assert.Equal(842, aView); // a has not read since 838: b filled the window meanwhile
        // 200 fitted; a overshoots by its batch at its last read (16, a tenth of the 162 left then): its 4 unwritten and 12
        // more before its next write shows the window full. At the old fixed batch of 50 it would have been 50.
        Assert.Equal(216, admitted);
    }

    [Fact]
    public void Plans_Defaults_OverriddenAndAddedBySettings_BadValuesRefused()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiPlans:free:RequestsPerMinute"] = "30",
            ["ApiPlans:partner:MonthlyQuota"] = "5",
        }).Build();
        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiPlans:free:Burst"] = "-1",
        }).Build();

        var plans = ApiPlans.FromConfiguration(settings);

        Assert.Equal(new ApiPlan("free", 30, 20, 10_000), plans.For("free"));
        Assert.Equal(600, plans.For("standard").RequestsPerMinute);
        Assert.Equal(5, plans.For("partner").MonthlyQuota);
        Assert.Equal("free", plans.For("retired").Name);
        Assert.Throws<InvalidOperationException>(() => ApiPlans.FromConfiguration((IConfiguration)bad));
    }
}

/// <summary>Counters in memory, for the per-instance logic on its own (the table store is tested over Azurite).</summary>
internal sealed class MemoryUsageCounterStore : IUsageCounterStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), long> _rows = new();

    public Task<long> AddAsync(string key, string window, long delta, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.AddOrUpdate((key, window), delta, (_, total) => total + delta));
}

/// <summary>A shared block table that reads empty and cannot be written (storage failing).</summary>
internal sealed class UnwritableBlockStore : IAbuseBlockStore
{
    public Task BlockAsync(AbuseBlock block, CancellationToken cancellationToken) => throw new InvalidOperationException("storage is down");

    public Task<IReadOnlyList<AbuseBlock>> ActiveAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AbuseBlock>>([]);
}

/// <summary>A key table with no keys, counting reads.</summary>
internal sealed class EmptyKeyStore : IApiKeyStore
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public Task<bool> CreateAsync(StoredApiKey key, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<StoredApiKey?> GetAsync(string id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult<StoredApiKey?>(null);
    }

    public Task<ApiKeyPage> ListAsync(int pageSize, string? continuation, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StoredApiKey?> UpdateAsync(string id, Func<StoredApiKey, StoredApiKey> change, CancellationToken cancellationToken) => Task.FromResult<StoredApiKey?>(null);

    public Task TouchAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<StoredApiKey?> ChangePlanAsync(string id, string plan, string actor, DateTimeOffset changedAt, CancellationToken cancellationToken) =>
        Task.FromResult<StoredApiKey?>(null);
}
