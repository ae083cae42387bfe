using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Rtgf.Benchmarks.Hosting;
using Rtgf.Benchmarks.Publishing;
using Rtgf.Benchmarks.Startup;
using Rtgf.FunctionsHost.Channel;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Registry;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.Load;

/// <summary>
/// `verify-load [seconds] [connections]`: <c>POST /verify</c> through the local runner's hop (the app's worker started
/// from this process on our gRPC host, reached through <see cref="Rtgf.FunctionsHost.Http.FunctionHttpHandler"/> over
/// sockets exactly as the runner forwards: HTTP to the worker's Kestrel plus the <c>InvocationRequest</c> over gRPC),
/// reading a real publication from Azurite, next to the in-process <see cref="Rtgf.Core.Tokens.Es256TokenVerifier"/>
/// rate for the same token and JWKS: interleaved in rounds in one run, so machine noise hits both.
/// </summary>
internal static class VerifyLoadBenchmark
{
    private const int Tokens = 100;
    private const int Rounds = 4;
    private const double CustomHandlerRate = 6_900; // docs/benchmarks.md, 2026-11-25: wrk straight at the custom handler, which no longer exists
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan InProcessBudget = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, 0, 20, out var seconds) || !TryParse(args, 1, 32, out var connections) || args.Length > 2)
        {
            await Console.Error.WriteLineAsync("verify-load: usage: verify-load [seconds > 0, default 20] [connections > 0, default 32]");
            return 2;
        }

        return await InWorkDirectoryAsync("verify-load", work => RunAsync(work, seconds, connections));
    }

    /// <summary>
    /// Runs a load bench in a fresh temporary directory (0700 on Unix: the issuer key PEM is readable by this user only),
    /// deleted afterwards; the failures a load run can meet are one line on stderr and exit code 1.
    /// </summary>
    internal static async Task<int> InWorkDirectoryAsync(string command, Func<string, Task<int>> run)
    {
        var work = Directory.CreateTempSubdirectory($"rtgf-{command}-");
        try
        {
            return await run(work.FullName);
        }
        catch (Exception ex) when (ex is AzuriteStartException or InvalidOperationException or FormatException or HttpRequestException or TimeoutException or WorkerHandshakeException)
        {
            await Console.Error.WriteLineAsync($"{command}: {ex.Message}");
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
        var (root, azurite, options, fetchedAt) = (environment.Root, environment.Azurite, environment.Options, environment.FetchedAt);
        var publishStarted = clock.GetTimestamp();
        var publication = await LoadPublisher.PublishAsync(azurite.ConnectionString, new BenchIssuerSigner(environment.IssuerKey), options, fetchedAt, Tokens);
        var token = publication.Token;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"published {publication.Issued} tokens into Azurite (in memory) in {clock.GetElapsedTime(publishStarted).TotalSeconds:N1} s; load token {token.TokenId[..12]}… ({token.Jws.Length} chars, {publication.Keys.Keys.Count} keys in the JWKS)"));

        await using var host = await FunctionsHostServer.StartAsync();
        await using var worker = await StartWorkerAsync(host, root, azurite.ConnectionString, options, environment.KeyPath, new Dictionary<string, string>(StringComparer.Ordinal));

        var verifyUri = new Uri("http://localhost/verify");
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>(StringComparer.Ordinal) { ["token"] = token.Jws });
        var before = await SampleAsync(worker.Http, verifyUri, body, token);

        // Warm-up (JIT, tiered compilation, connections, JWKS and status-list caches), not reported.
        await HopLoad.RunAsync(worker.Http, verifyUri, body, connections, WarmUp, clock);
        _ = InProcessVerifyRate.Measure(publication.Keys, token.Jws, Environment.ProcessorCount, TimeSpan.FromSeconds(1));

        // CPU per request by process (user + system, from /proc): where the hop's cost lands.
        var cpu = new CpuSplit(("worker", worker.ProcessId), ("bench: load + FunctionHttpHandler + gRPC host", Environment.ProcessId), ("Azurite", azurite.ProcessId));
        var inProcessCpu = TimeSpan.Zero;
        var logsBefore = worker.LogCount;
        var linesBefore = worker.OutputLines;
        var segment = TimeSpan.FromSeconds((double)seconds / Rounds);
        var hop = new List<HopLoadResult>();
        var inProcess = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            hop.Add(await HopLoad.RunAsync(worker.Http, verifyUri, body, connections, segment, clock));
            var benchCpu = CpuSplit.Of(Environment.ProcessId);
            inProcess.Add(InProcessVerifyRate.Measure(publication.Keys, token.Jws, Environment.ProcessorCount, InProcessBudget));
            inProcessCpu += CpuSplit.Of(Environment.ProcessId) - benchCpu;
        }

        var cpuUsed = cpu.Used();

        var loadAverage = StartupBenchmark.LoadAverage();
        var logs = worker.LogCount - logsBefore;
        var lines = worker.OutputLines - linesBefore;
        var after = await SampleAsync(worker.Http, verifyUri, body, token);
        if (worker.HasExited)
        {
            throw new InvalidOperationException("The worker exited during the load: " + string.Join(" | ", worker.RecentOutput.TakeLast(5)));
        }

        var requests = hop.Sum(h => h.Requests);
        var inProcessVerifies = inProcess.Sum() * InProcessBudget.TotalSeconds;
        var cpuPerRequest = string.Join(", ", cpuUsed.Select(c => c.Name == cpu.Names[1]
            ? string.Create(CultureInfo.InvariantCulture, $"{c.Name} {(c.Cpu - inProcessCpu).TotalMilliseconds * 1000 / requests:0} µs")
            : string.Create(CultureInfo.InvariantCulture, $"{c.Name} {c.Cpu.TotalMilliseconds * 1000 / requests:0} µs")));
        var failures = hop.Sum(h => h.Failures);
        var latencies = hop.SelectMany(h => h.LatenciesMs).Order().ToArray();
        var all = new HopLoadResult(requests, failures, TimeSpan.FromTicks(hop.Sum(h => h.Elapsed.Ticks)), latencies, hop.Select(h => h.FirstFailure).FirstOrDefault(f => f is not null));
        var hopRate = Median([.. hop.Select(h => h.RequestsPerSecond).Order()]);
        var inProcessRate = Median([.. inProcess.Order()]);

        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture,
            $"verify-load: {seconds} s through the host in {Rounds} rounds of {segment.TotalSeconds:0.#} s, each followed by {InProcessBudget.TotalSeconds:0} s in process; {connections} concurrent requests (closed loop, " +
            $"after a {WarmUp.TotalSeconds:0} s warm-up); {RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} cores shared by this process (the load), the worker and Azurite; load average (1/5/15 min) at the end: {loadAverage}");
        output.AppendLine(CultureInfo.InvariantCulture, $"sample before the load: {before}; after: {after}");
        output.AppendLine(CultureInfo.InvariantCulture,
            $"worker traffic besides answers during the measured load: {logs:N0} RpcLog messages ({(double)logs / Math.Max(1, requests + failures):0.00} per request; by category: {string.Join(", ", worker.Logs.Select(l => $"{l.Key} {l.Value:N0}"))} since start), {lines:N0} console lines");
        output.AppendLine(CultureInfo.InvariantCulture,
            $"CPU per request through the host: {cpuPerRequest}; in process: {inProcessCpu.TotalMilliseconds * 1000 / inProcessVerifies:0} µs per verify");
        output.AppendLine("| `/verify` | requests/s | p50 | p90 | p99 | in process (all cores) | through the host / in process | against 6,900/s (custom handler, historical) |");
        output.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        output.AppendLine(CultureInfo.InvariantCulture,
            $"| through the runner's hop (FunctionHttpHandler: HTTP to the worker + gRPC invocation) | {hopRate:N0} | {all.Percentile(50):0.00} ms | {all.Percentile(90):0.00} ms | {all.Percentile(99):0.00} ms | {inProcessRate:N0}/s | {hopRate / inProcessRate:P1} | {hopRate / CustomHandlerRate:0.00}× |");
        output.AppendLine(CultureInfo.InvariantCulture,
            $"rounds (through the host / in process): {string.Join("; ", hop.Zip(inProcess, (h, i) => string.Create(CultureInfo.InvariantCulture, $"{h.RequestsPerSecond:N0} / {i:N0}")))}; {requests:N0} answered, {failures:N0} failed{(all.FirstFailure is { } first ? " (first: " + first + ")" : string.Empty)}");
        Console.Write(output);
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The app's worker on <paramref name="host"/> over this storage and issuer key (plus <paramref name="extra"/> settings), once its Kestrel accepts.</summary>
    internal static async Task<BenchWorker> StartWorkerAsync(
        FunctionsHostServer host, string root, string storage, IssuerOptions options, string keyPath, IReadOnlyDictionary<string, string> extra)
    {
        var overrides = new Dictionary<string, string>(extra, StringComparer.Ordinal)
        {
            ["Rtgf__Issuer"] = options.Issuer,
            ["Rtgf__PublicBaseUrl"] = options.PublicBaseUrl,
            ["Rtgf__LogOrigin"] = options.LogOrigin,
            ["Signing__DevelopmentKeyPath"] = keyPath,
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development", // the development key is refused in any other environment
        };
        var worker = await BenchWorker.StartAsync(host, BenchWorker.AppDirectory(root), BenchWorker.Settings(root, storage, overrides));
        try
        {
            await WaitUntilAcceptsAsync(worker, BenchClock.System);
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    internal static bool TryParse(string[] args, int index, int fallback, out int value)
    {
        value = fallback;
        return args.Length <= index || (int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0);
    }

    internal static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    // The worker announces its HttpUri before its Kestrel listens: wait until it accepts, as the runner does.
    internal static async Task WaitUntilAcceptsAsync(BenchWorker worker, TimeProvider clock)
    {
        var started = clock.GetTimestamp();
        while (true)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, worker.WorkerUri.Port);
                return;
            }
            catch (SocketException) when (!worker.HasExited && clock.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), clock);
            }
        }
    }

    /// <summary>One request outside the load: the verdict must be valid, name the token's subject and find it unrevoked in its status list.</summary>
    internal static async Task<string> SampleAsync(HttpMessageInvoker http, Uri verifyUri, byte[] body, RegisteredToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, verifyUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.SendAsync(request, CancellationToken.None);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /verify answered {(int)response.StatusCode}: {text}");
        }

        using var verdict = JsonDocument.Parse(text);
        var root = verdict.RootElement;
        var valid = root.GetProperty("valid").GetBoolean() && root.GetProperty("reasons").GetArrayLength() == 0;
        // The subject, not claims.tokenId: the verifier hashes the signed payload, the registry keys tokens by the compiled payload's hash.
        var named = root.GetProperty("claims").GetProperty("subject").GetString() == token.Subject;
        var unrevoked = root.GetProperty("status").GetProperty("value").ValueKind == JsonValueKind.Number && root.GetProperty("status").GetProperty("value").GetInt32() == 0;
        return valid && named && unrevoked
            ? $"valid (subject matches, status-list value 0, HTTP {(int)response.StatusCode})"
            : throw new InvalidOperationException("POST /verify did not answer a valid verdict for the published token: " + text);
    }
}
