using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Rtgf.Azure.Access;
using Rtgf.Benchmarks.Startup;
using Rtgf.Pipeline.Access;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.Access;

/// <summary>
/// `access [requests]`: the per-request cost of the API access gate in process, as the middleware calls it, against
/// Azurite: a no-op baseline, the anonymous tier, and a cached key with its local bucket and shared minute and month
/// counters (batched flushes to the Table rows), single-threaded and on 4 threads. Goal: under 50 µs a request.
/// </summary>
internal static class AccessBenchmark
{
    private const int Threads = 4;

    public static async Task<int> RunAsync(string[] args)
    {
        var requests = args is [var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 200_000;
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        var time = BenchClock.System;
        var tables = new AccessTables(() => new TableServiceClient(azurite.ConnectionString), "bench");
        var usage = new CountingUsage(new TableUsageCounterStore(tables));
        var keys = new TableApiKeyStore(tables);
        var hasher = ApiKeyHasher.FromSetting(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), out _)!;
        var plans = new ApiPlans([new ApiPlan(ApiPlans.Free, 60, 20, 10_000), new ApiPlan("bench", 100_000_000, 100_000_000, 2_000_000_000)]);
        using var abuse = new AbuseList(new TableAbuseBlockStore(tables), time, AbuseRules.Default);
        var gate = new ApiAccessGate(keys, hasher, string.Empty, plans, usage, abuse, time, new ApiAccessOptions { AnonymousRequestsPerMinute = 100_000_000 });

        var id = ApiKeySecret.NewId();
        var secret = ApiKeySecret.NewSecret();
        await keys.CreateAsync(new StoredApiKey(new ApiKeyRecord(id, "bench", "bench", ApiScopes.All, "bench", time.GetUtcNow(), "bench"), hasher.Hash(secret)), CancellationToken.None);
        var authorization = "Bearer " + ApiKeySecret.Format(id, secret);
        var allowed = AccessOutcome.Allowed;

        // Warm up: JIT, the table creations, the key cache, the first flushes.
        for (var i = 0; i < 5_000; i++)
        {
            await gate.CheckAsync(AccessArea.Catalogue, authorization, "203.0.113.1", CancellationToken.None);
            await gate.CheckAsync(AccessArea.Catalogue, null, "203.0.113.1", CancellationToken.None);
        }

        var flushesBefore = usage.Adds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"access: {requests:N0} requests per case, Azurite on loopback, {Environment.ProcessorCount} cores"));
        Report("no-op baseline", await MeasureAsync(requests, 1, _ => NoOpAsync(allowed)));
        Report("anonymous (1,000 addresses)", await MeasureAsync(requests, 1, i => gate.CheckAsync(AccessArea.Catalogue, null, Address(i), CancellationToken.None)));
        Report("key, cached, limits, 1 thread", await MeasureAsync(requests, 1, _ => gate.CheckAsync(AccessArea.Catalogue, authorization, "203.0.113.1", CancellationToken.None)));
        var flushes = usage.Adds - flushesBefore;
        Report($"key, cached, limits, {Threads} threads", await MeasureAsync(requests, Threads, _ => gate.CheckAsync(AccessArea.Catalogue, authorization, "203.0.113.1", CancellationToken.None)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shared counter writes (1-thread keyed case and anonymous, minute + month rows): {flushes:N0} for {requests:N0} keyed requests"));
        return 0;
    }

    private static ValueTask<AccessDecision> NoOpAsync(AccessOutcome outcome) =>
        ValueTask.FromResult(new AccessDecision(outcome, string.Empty));

    private static readonly string[] Addresses = [.. Enumerable.Range(0, 1_000).Select(i => "10.1." + (i / 250).ToString(CultureInfo.InvariantCulture) + "." + (i % 250).ToString(CultureInfo.InvariantCulture))];

    private static string Address(int i) => Addresses[i % Addresses.Length];

    private static async Task<(double MeanMicros, double P50, double P99, int Refused)> MeasureAsync(int requests, int threads, Func<int, ValueTask<AccessDecision>> check)
    {
        var time = BenchClock.System;
        var perThread = requests / threads;
        var samples = new double[perThread * threads];
        var refused = 0;
        var started = time.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var before = time.GetTimestamp();
                var decision = await check(i);
                samples[(t * perThread) + i] = time.GetElapsedTime(before).TotalMicroseconds;
                if (!decision.IsAllowed)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })));
        var elapsed = time.GetElapsedTime(started);
        Array.Sort(samples);
        return (elapsed.TotalMicroseconds * threads / samples.Length, samples[samples.Length / 2], samples[(int)(samples.Length * 0.99)], refused);
    }

    private static void Report(string name, (double MeanMicros, double P50, double P99, int Refused) result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} mean {result.MeanMicros,8:N2} µs/request (per thread)  p50 {result.P50,8:N2} µs  p99 {result.P99,9:N2} µs  refused {result.Refused}"));

    private sealed class CountingUsage(IUsageCounterStore inner) : IUsageCounterStore
    {
        private long _adds;

        public long Adds => Interlocked.Read(ref _adds);

        public Task<long> AddAsync(string key, string window, long delta, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _adds);
            return inner.AddAsync(key, window, delta, cancellationToken);
        }
    }
}
