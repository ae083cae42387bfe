using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Rtgf.Azure.Archives;
using Rtgf.Azure.KeyVault;
using Rtgf.Azure.Sessions;
using Rtgf.Benchmarks.Startup;
using Rtgf.Core.Encryption;
using Rtgf.KeyVaultStandIn;
using Rtgf.Pipeline.Sessions;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.Archives;

/// <summary>
/// `archive-throughput [sessions] [batch]`: session archives sealed per session and in batches, with the local development
/// key and with an RSA-HSM 3072 key in the Key Vault stand-in (one wrapKey per archive), side by side: sessions/s and
/// size overhead (archive bytes / plaintext bytes). Then the real <c>session-archiver</c> (table → blob → delete) on
/// Azurite with each key. docs/benchmarks.md#archives.
/// </summary>
internal static class ArchiveThroughputBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var at = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
        var sessions = Enumerable.Range(0, count).Select(i => new Session(
            SessionSecret.Id("bench-" + i.ToString(CultureInfo.InvariantCulture)),
            "user" + i.ToString("D6", CultureInfo.InvariantCulture) + "@example.org",
            i % 3 == 0 ? SessionKinds.ApiKeyOwner : SessionKinds.MagicLink,
            at.AddHours(-2),
            at.AddMinutes(-30),
            at.AddHours(-1),
            null)).ToList();

        await using var vault = await KeyVaultStandInServer.StartAsync();
        var options = new KeyClientOptions { Transport = new HttpClientTransport(vault.CreateHttpMessageHandler()), DisableChallengeResourceVerification = true };
        var keys = new KeyClient(vault.VaultUri, new BenchCredential(), options);
        await keys.CreateRsaKeyAsync(new CreateRsaKeyOptions("rtgf-archive", hardwareProtected: true) { KeySize = 3072 });
        var wrappers = new (string Name, IDataKeyWrapper Wrapper)[]
        {
            ("local key", new LocalDevelopmentKeyWrapper(Enumerable.Repeat((byte)1, 32).ToArray())),
            ("stand-in Key Vault RSA-HSM 3072", new KeyVaultDataKeyWrapper(keys, "rtgf-archive", null, BenchClock.System)),
        };

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"archive-throughput: {count} sessions, batches of {batch}, {Environment.ProcessorCount} cores"));
        Console.WriteLine("| wrapper | layout | archives | sessions/s | plaintext bytes | archive bytes | overhead |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var (name, wrapper) in wrappers)
        {
            await SealAsync(sessions.Take(50).ToList(), 1, at, wrapper); // warm-up
            foreach (var size in new[] { 1, batch })
            {
                var (archives, seconds, plain, sealedBytes) = await SealAsync(sessions, size, at, wrapper);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {name} | {(size == 1 ? "per session" : "batch of " + size)} | {archives} | {count / seconds:F0} | {plain} | {sealedBytes} | {(double)sealedBytes / plain:F2}x |"));
            }
        }

        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        var tables = new TableServiceClient(azurite.ConnectionString);
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        Console.WriteLine();
        Console.WriteLine("| session-archiver on Azurite | sessions | sessions/s |");
        Console.WriteLine("|---|---:|---:|");
        var run = 0;
        foreach (var (name, wrapper) in wrappers)
        {
            var prefix = "bench" + (run++).ToString(CultureInfo.InvariantCulture);
            var clock = new BenchFixedClock(at.AddHours(-2));
            var store = new TableSessionStore(() => tables, clock, prefix);
            for (var i = 0; i < count; i++)
            {
                await store.StartAsync("user" + i.ToString(CultureInfo.InvariantCulture) + "@example.org", SessionKinds.MagicLink, TimeSpan.FromHours(1));
            }

            clock.Now = at;
            var archiver = new SessionArchiver(() => tables, () => blobs, wrapper, clock, maxSessionsPerRun: count, prefix: prefix);
            var start = BenchClock.System.GetTimestamp();
            var summary = await archiver.RunAsync();
            var seconds = BenchClock.System.GetElapsedTime(start).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {summary.Archived} | {summary.Archived / seconds:F0} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Key Vault calls: wrapKey {vault.CallCount(KeyVaultOperation.WrapKey)}, get key {vault.CallCount(KeyVaultOperation.GetKey)}"));
        return 0;
    }

    private static async Task<(int Archives, double Seconds, long Plain, long Sealed)> SealAsync(List<Session> sessions, int size, DateTimeOffset at, IDataKeyWrapper wrapper)
    {
        long plain = 0, sealedBytes = 0;
        var archives = 0;
        var start = BenchClock.System.GetTimestamp();
        for (var i = 0; i < sessions.Count; i += size)
        {
            var group = sessions.Skip(i).Take(size).ToList();
            plain += 2 + group.Sum(s => s.ToJson().Length + 1) - 1; // the JSON array's brackets and commas
            sealedBytes += (await SessionArchiver.SealAsync(group, at, wrapper)).Length;
            archives++;
        }

        return (archives, BenchClock.System.GetElapsedTime(start).TotalSeconds, plain, sealedBytes);
    }

    private sealed class BenchFixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class BenchCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("bench-token", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
