using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Rtgf.Azure.Access;
using Rtgf.Benchmarks.Compiler;
using Rtgf.Benchmarks.Publishing;
using Rtgf.Benchmarks.Startup;
using Rtgf.Compiler;
using Rtgf.FunctionsHost.Channel;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Benchmarks.Load;

/// <summary>
/// `public-api-load [seconds] [connections]`: the public API through the runner's hop (as verify-load: the app's worker on
/// our gRPC host, reached through FunctionHttpHandler) over a real publication of a simulated world (a tenth of national:
/// real compiler, QA, publish into Azurite), with an API key on a plan without practical limits: <c>GET /v1/search</c>
/// (a fixed mix of queries), <c>GET /v1/rtos/{code}</c> (codes cycling) and <c>POST /verify</c>, interleaved in rounds
/// in one run so machine noise hits all three. Any answer but 200 fails the run (exit 1, one line).
/// </summary>
internal static class PublicApiLoadBenchmark
{
    private const int Rounds = 4;
    private const ulong Seed = 20261205;
    private const string Plan = "bench";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    // A tenth of the national world (WorldSizes.National): 400 RTOs, ~2,700 components, 50,000 scope rows.
    private static readonly WorldSizes Sizes = new(400, 3, 150, 120, 2_200, 30, 10, 4, 50_000, 120, 20, 150);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!VerifyLoadBenchmark.TryParse(args, 0, 12, out var seconds) || !VerifyLoadBenchmark.TryParse(args, 1, 32, out var connections) || args.Length > 2)
        {
            await Console.Error.WriteLineAsync("public-api-load: usage: public-api-load [seconds > 0, default 12] [connections > 0, default 32]");
            return 2;
        }

        var work = Directory.CreateTempSubdirectory("rtgf-public-api-load-"); // 0700 on Unix: the issuer key PEM is readable by this user only
        try
        {
            return await RunAsync(work.FullName, seconds, connections);
        }
        catch (Exception ex) when (ex is AzuriteStartException or InvalidOperationException or FormatException or HttpRequestException or TimeoutException or WorkerHandshakeException or JsonException)
        {
            await Console.Error.WriteLineAsync("public-api-load: " + ex.Message);
            return 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<int> RunAsync(string work, int seconds, int connections)
    {
        var clock = BenchClock.System;
        await using var environment = await LoadEnvironment.StartAsync(work);
        var (root, azurite, options, now, fetchedAt) = (environment.Root, environment.Azurite, environment.Options, environment.Now, environment.FetchedAt);
        var publishStarted = clock.GetTimestamp();
        var world = WorldGenerator.Generate("public-api-load", Seed, Sizes, fetchedAt);
        var (publication, token, smallToken) = await PublishAsync(azurite.ConnectionString, new BenchIssuerSigner(environment.IssuerKey), options, world, fetchedAt);
        var rtoCodes = world.Rtos.Where(r => r.Deleted is null).Select(r => r.Code).Order(StringComparer.Ordinal).ToArray();
        var queries = Queries(world);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"published a simulated world (seed {Seed}: {rtoCodes.Length:N0} RTOs, {world.Components.Count(c => c.Deleted is null):N0} components, {world.Scope.Length:N0} scope rows; real compiler) into Azurite: {publication.Issued:N0} tokens in {clock.GetElapsedTime(publishStarted).TotalSeconds:N1} s"));

        // An API key on a plan whose limits the load cannot reach, written to the app's table with the app's hash key.
        var hashKey = Convert.ToBase64String(ApiKeySecret.NewSecret()); // 32 random bytes from the one allow-listed source of key material
        var hasher = ApiKeyHasher.FromSetting(hashKey, out var problem) ?? throw new InvalidOperationException("The hash key was refused: " + problem);
        var id = ApiKeySecret.NewId();
        var secret = ApiKeySecret.NewSecret();
        await new TableApiKeyStore(new AccessTables(() => new TableServiceClient(azurite.ConnectionString)))
            .CreateAsync(new StoredApiKey(new ApiKeyRecord(id, "public-api-load", "bench", ApiScopes.All, Plan, now, "bench"), hasher.Hash(secret)), CancellationToken.None);
        var authorization = new AuthenticationHeaderValue("Bearer", ApiKeySecret.Format(id, secret));

        await using var host = await FunctionsHostServer.StartAsync();
        await using var worker = await VerifyLoadBenchmark.StartWorkerAsync(host, root, azurite.ConnectionString, options, environment.KeyPath, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ApiKeyHasher.Setting.Replace(":", "__", StringComparison.Ordinal)] = hashKey,
            [$"ApiPlans__{Plan}__RequestsPerMinute"] = "100000000",
            [$"ApiPlans__{Plan}__Burst"] = "100000000",
            [$"ApiPlans__{Plan}__MonthlyQuota"] = "2000000000",
        });

        var verifyUri = new Uri("http://localhost/verify");
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>(StringComparer.Ordinal) { ["token"] = token.Jws });
        var smallBody = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>(StringComparer.Ordinal) { ["token"] = smallToken.Jws });
        HttpRequestMessage Get(string pathAndQuery)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://localhost" + pathAndQuery));
            request.Headers.Authorization = authorization;
            return request;
        }

        var sides = new (string Name, Func<long, HttpRequestMessage> Request)[]
        {
            ("`GET /v1/search?q=…`", n => Get("/v1/search?" + queries[(int)(n % queries.Count)])),
            ("`GET /v1/rtos/{code}`", n => Get("/v1/rtos/" + rtoCodes[(int)(n % rtoCodes.Length)])),
            ("`POST /verify` (training-component token, " + Size(smallToken) + ")", _ => HopLoad.PostJson(verifyUri, smallBody)),
            ("`POST /verify` (rto-registration token, " + Size(token) + ")", _ => HopLoad.PostJson(verifyUri, body)),
        };

        // /verify with the small token before any /v1 request (no register loaded, no search run yet): against the same side
        // in the rounds below, what serving /v1 in the same worker costs /verify.
        var segment = TimeSpan.FromSeconds((double)seconds / Rounds);
        await HopLoad.RunAsync(worker.Http, _ => HopLoad.PostJson(verifyUri, smallBody), connections, WarmUp, clock);
        var aloneCpu = CpuSplit.Of(worker.ProcessId);
        var alone = await HopLoad.RunAsync(worker.Http, _ => HopLoad.PostJson(verifyUri, smallBody), connections, segment, clock);
        aloneCpu = CpuSplit.Of(worker.ProcessId) - aloneCpu;

        // Before the load: the first /v1 request loads the register; each side answers as it should.
        var samples = new List<string>
        {
            await VerifyLoadBenchmark.SampleAsync(worker.Http, verifyUri, body, token),
            await VerifyLoadBenchmark.SampleAsync(worker.Http, verifyUri, smallBody, smallToken),
            await SampleAsync(worker.Http, Get("/v1/rtos/" + rtoCodes[0]), "\"" + rtoCodes[0] + "\""),
            await SampleAsync(worker.Http, Get("/v1/search?q=" + rtoCodes[^1] + "&limit=1"), "\"" + rtoCodes[^1] + "\""),
        };

        foreach (var (_, request) in sides)
        {
            await HopLoad.RunAsync(worker.Http, request, connections, WarmUp, clock);
        }

        var results = sides.Select(_ => new List<HopLoadResult>()).ToArray();
        // CPU (user + system) per side of the worker (what a request costs the app, whatever share of the cores it got) and
        // of this process (the load generator, FunctionHttpHandler and the gRPC host: the hop's other end).
        var workerCpu = new TimeSpan[sides.Length];
        var benchCpu = new TimeSpan[sides.Length];
        var benchCollections = (GC.CollectionCount(0), GC.CollectionCount(2));
        for (var round = 0; round < Rounds; round++)
        {
            for (var side = 0; side < sides.Length; side++)
            {
                var cpuBefore = (CpuSplit.Of(worker.ProcessId), CpuSplit.Of(Environment.ProcessId));
                results[side].Add(await HopLoad.RunAsync(worker.Http, sides[side].Request, connections, segment, clock));
                workerCpu[side] += CpuSplit.Of(worker.ProcessId) - cpuBefore.Item1;
                benchCpu[side] += CpuSplit.Of(Environment.ProcessId) - cpuBefore.Item2;
            }
        }

        benchCollections = (GC.CollectionCount(0) - benchCollections.Item1, GC.CollectionCount(2) - benchCollections.Item2);

        var loadAverage = StartupBenchmark.LoadAverage();
        if (worker.HasExited)
        {
            throw new InvalidOperationException("The worker exited during the load: " + string.Join(" | ", worker.RecentOutput.TakeLast(5)));
        }

        var rates = results.Select(r => VerifyLoadBenchmark.Median([.. r.Select(h => h.RequestsPerSecond).Order()])).ToArray();
        var all = results.Select(r => new HopLoadResult(
            r.Sum(h => h.Requests), r.Sum(h => h.Failures), TimeSpan.FromTicks(r.Sum(h => h.Elapsed.Ticks)), [.. r.SelectMany(h => h.LatenciesMs).Order()], r.Select(h => h.FirstFailure).FirstOrDefault(f => f is not null))).ToArray();
        var verify = sides.Length - 1;

        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture,
            $"public-api-load: {seconds} s per side through the host in {Rounds} interleaved rounds of {segment.TotalSeconds:0.#} s; {connections} concurrent requests (closed loop, after a {WarmUp.TotalSeconds:0} s warm-up per side); " +
            $"{queries.Count} search queries, {rtoCodes.Length:N0} RTO codes cycling; API key on a plan without practical limits; {RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} cores shared by this process, the worker and Azurite; load average (1/5/15 min) at the end: {loadAverage}");
        output.AppendLine("samples before the load: " + string.Join("; ", samples));
        output.AppendLine("| through the runner's hop | requests/s | p50 | p90 | p99 | requests/s against `/verify` | p50 against `/verify` | worker CPU per request | bench process CPU per request |");
        output.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var side = 0; side < sides.Length; side++)
        {
            output.AppendLine(CultureInfo.InvariantCulture,
                $"| {sides[side].Name} | {rates[side]:N0} | {all[side].Percentile(50):0.00} ms | {all[side].Percentile(90):0.00} ms | {all[side].Percentile(99):0.00} ms | {rates[side] / rates[verify]:0.00}× | {all[side].Percentile(50) / all[verify].Percentile(50):0.00}× | {workerCpu[side].TotalMilliseconds * 1000 / Math.Max(1, all[side].Requests):N0} µs | {benchCpu[side].TotalMilliseconds * 1000 / Math.Max(1, all[side].Requests):N0} µs |");
        }

        output.AppendLine(CultureInfo.InvariantCulture,
            $"| {sides[verify - 1].Name}, one round before any `/v1` request (no register loaded) | {alone.RequestsPerSecond:N0} | {alone.Percentile(50):0.00} ms | {alone.Percentile(90):0.00} ms | {alone.Percentile(99):0.00} ms | {alone.RequestsPerSecond / rates[verify]:0.00}× | {alone.Percentile(50) / all[verify].Percentile(50):0.00}× | {aloneCpu.TotalMilliseconds * 1000 / Math.Max(1, alone.Requests):N0} µs | |");
        output.AppendLine(CultureInfo.InvariantCulture,
            $"this process during the rounds: {benchCollections.Item1:N0} gen-0 and {benchCollections.Item2:N0} gen-2 collections; managed heap {GC.GetTotalMemory(false) / 1048576.0:N0} MiB; GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
        for (var side = 0; side < sides.Length; side++)
        {
            output.AppendLine(CultureInfo.InvariantCulture,
                $"{sides[side].Name} rounds: {string.Join(" / ", results[side].Select(h => h.RequestsPerSecond.ToString("N0", CultureInfo.InvariantCulture)))} requests/s; {all[side].Requests:N0} answered, {all[side].Failures:N0} failed");
        }

        Console.Write(output);
        var failed = all.Append(alone).FirstOrDefault(a => a.Failures > 0);
        if (failed is not null)
        {
            await Console.Error.WriteLineAsync("public-api-load: a request did not answer 200: " + failed.FirstFailure);
            return 1;
        }

        return 0;
    }

    private static string Size(RegisteredToken token) => string.Create(CultureInfo.InvariantCulture, $"{token.Jws.Length / 1024.0:0.#} KiB");

    /// <summary>
    /// The world's snapshots through the real compiler, QA and publish (as publish-national); for <c>/verify</c>, the first
    /// registration token listed (scope inline) and the first component token (as small as verify-load's), so the two sizes run side by side.
    /// </summary>
    private static async Task<(Publication Publication, RegisteredToken Token, RegisteredToken SmallToken)> PublishAsync(
        string connectionString, IIssuerSigner issuer, IssuerOptions options, SimulatedWorld world, DateTimeOffset fetchedAt)
    {
        var chain = await BenchChain.CreateAsync(connectionString, issuer, options, new MatrixBuildCompiler(new TokenCompiler(PolicyMatrix.LoadDefault())), new FixedClock(fetchedAt.AddHours(1)));
        var snapshots = NationalCorpus.Build(world, fetchedAt);
        foreach (var snapshot in snapshots)
        {
            await chain.Snapshots.WriteAsync(snapshot);
        }

        var tga = snapshots.Single(s => s.Manifest.Source == "tga");
        var qa = await chain.Compilation.CompileAsync(new CompileRequest("tga", tga.Manifest.Digest, "public-api-load"))
            ?? throw new InvalidOperationException("The build did not compile (a source without a snapshot).");
        var publish = await chain.Harness.CheckAsync(qa) ?? throw new InvalidOperationException("QA refused the build.");
        var publication = await chain.Stage.PublishAsync(publish);
        var registry = new RecordTokenRegistry(chain.Records);
        var page = await registry.ListAsync("rto-registration", null, 1);
        var components = await registry.ListAsync("training-component", null, 1);
        return (publication,
            (page.Items.Count > 0 ? page.Items[0] : null) ?? throw new InvalidOperationException("The registry lists no rto-registration token."),
            (components.Items.Count > 0 ? components.Items[0] : null) ?? throw new InvalidOperationException("The registry lists no training-component token."));
    }

    /// <summary>A fixed mix (the same for the same seed) at even strides: exact codes, title and name words, an ABN, a prefix, a filtered query.</summary>
    private static List<string> Queries(SimulatedWorld world)
    {
        var components = world.Components.Where(c => c.Deleted is null).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        var rtos = world.Rtos.Where(r => r.Deleted is null).OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
        static IEnumerable<T> Every<T>(List<T> list, int count) => Enumerable.Range(0, count).Select(i => list[(int)((long)i * list.Count / count)]);
        static string[] Words(string title) => [.. title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 4 && char.IsLetter(w[0]))];
        static string Q(string text) => "q=" + Uri.EscapeDataString(text);

        var queries = new List<string>();
        queries.AddRange(Every(components, 10).Select(c => Q(c.Code.ToLowerInvariant())));
        queries.AddRange(Every(rtos, 5).Select(r => Q(r.Code)));
        queries.AddRange(Every(rtos, 5).Select(r => Q(r.Abn)));
        queries.AddRange(Every(components, 10).Select(c => Words(c.Title)).Where(w => w.Length >= 2).Select(w => Q(w[0] + " " + w[^1])));
        queries.AddRange(Every(rtos, 5).Select(r => Q(r.TradingName)));
        queries.AddRange(Every(components, 5).Select(c => Words(c.Title)).Where(w => w.Length >= 1).Select(w => Q(w[0][..4])));
        queries.AddRange(Every(components, 5).Select(c => Words(c.Title)).Where(w => w.Length >= 1).Select(w => Q(w[0]) + "&kind=component&status=Current"));
        return queries;
    }

    private static async Task<string> SampleAsync(HttpMessageInvoker http, HttpRequestMessage request, string expected)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK && text.Contains(expected, StringComparison.Ordinal)
                ? $"{request.RequestUri!.AbsolutePath} 200 naming {expected}"
                : throw new InvalidOperationException($"GET {request.RequestUri!.PathAndQuery} answered {(int)response.StatusCode} without {expected}: {text[..Math.Min(300, text.Length)]}");
        }
    }
}
