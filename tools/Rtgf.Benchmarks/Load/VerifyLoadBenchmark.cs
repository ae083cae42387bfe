using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rtgf.Benchmarks.Publishing;
using Rtgf.Benchmarks.Startup;
using Rtgf.Core.Signing;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Registry;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.Load;

/// <summary>
/// `verify-load [seconds] [connections]`: <c>POST /verify</c> under load from <c>wrk</c> against the published handler
/// (started as the Functions host starts it) reading a real publication from Azurite, next to the in-process
/// <see cref="Rtgf.Core.Tokens.Es256TokenVerifier"/> rate for the same token and JWKS, measured in the same run.
/// </summary>
internal static class VerifyLoadBenchmark
{
    private const int Tokens = 100;
    private const int WrkThreads = 2;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan InProcessBudget = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, 0, 20, out var seconds) || !TryParse(args, 1, 32, out var connections) || args.Length > 2)
        {
            await Console.Error.WriteLineAsync("verify-load: usage: verify-load [seconds > 0, default 20] [connections > 0, default 32]");
            return 2;
        }

        var wrk = WrkRunner.Find();
        if (wrk is null)
        {
            await Console.Error.WriteLineAsync("verify-load: wrk is not installed (not on PATH): install it with `sudo apt-get install -y wrk`.");
            return 2;
        }

        var work = Directory.CreateTempSubdirectory("rtgf-verify-load-"); // 0700 on Unix: the issuer key PEM is readable by this user only
        try
        {
            return await RunAsync(wrk, work.FullName, seconds, connections);
        }
        catch (Exception ex) when (ex is AzuriteStartException or InvalidOperationException or FormatException or HttpRequestException or TimeoutException)
        {
            await Console.Error.WriteLineAsync("verify-load: " + ex.Message);
            return 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<int> RunAsync(string wrk, string work, int seconds, int connections)
    {
        var root = RepositoryLayout.FindRoot();
        var handler = await PublishHandlerAsync(root, Path.Combine(root, "artifacts", "bench", "verify-load", "handler"));
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(root));

        // The issuer key: a PKCS#8 PEM for the app (Signing:DevelopmentKeyPath), the same key in process for the publisher.
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyPath = Path.Combine(work, "issuer-key.pem");
        await File.WriteAllTextAsync(keyPath, ecdsa.ExportPkcs8PrivateKeyPem());
        using var issuerKey = LocalDevelopmentSigner.Import(ecdsa.ExportParameters(includePrivateParameters: true));

        var port = LoopbackPorts.Free();
        var options = new IssuerOptions
        {
            Issuer = "https://rtgf.bench",
            PublicBaseUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),
            LogOrigin = "rtgf.bench/log",
        };

        // Tokens issued yesterday (valid 365 days), so the app's wall clock finds them current.
        var now = BenchClock.System.GetUtcNow();
        var fetchedAt = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero).AddDays(-1);
        var publishStarted = BenchClock.System.GetTimestamp();
        var publication = await LoadPublisher.PublishAsync(azurite.ConnectionString, new BenchIssuerSigner(issuerKey), options, fetchedAt, Tokens);
        var token = publication.Token;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"published {publication.Issued} tokens into Azurite (in memory) in {BenchClock.System.GetElapsedTime(publishStarted).TotalSeconds:N1} s; load token {token.TokenId[..12]}… ({token.Jws.Length} chars, {publication.Keys.Keys.Count} keys in the JWKS)"));

        await using var app = ChildProcess.Start(new ChildProcessStartInfo("Rtgf.Functions", Path.Combine(handler, "Rtgf.Functions"))
        {
            WorkingDirectory = handler,
            Environment = new Dictionary<string, string?>
            {
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture),
                ["RtgfStorage"] = azurite.ConnectionString,
                ["Rtgf__Issuer"] = options.Issuer,
                ["Rtgf__PublicBaseUrl"] = options.PublicBaseUrl,
                ["Rtgf__LogOrigin"] = options.LogOrigin,
                ["Signing__DevelopmentKeyPath"] = keyPath,
                ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development", // the development key is refused in any other environment
            },
        });
        var baseUri = new Uri(options.PublicBaseUrl + "/");
        var verifyUri = new Uri(baseUri, "verify");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilReadyAsync(app, http, baseUri);

        var body = JsonSerializer.Serialize(new Dictionary<string, string>(StringComparer.Ordinal) { ["token"] = token.Jws });
        var before = await SampleAsync(http, verifyUri, body, token);
        var script = WrkRunner.WriteScript(work, body);
        var threads = Math.Min(WrkThreads, connections);

        // Warm-up (JIT, tiered compilation, connection set-up, JWKS and status-list caches), not reported.
        await WrkRunner.RunAsync(wrk, verifyUri, script, (int)WarmUp.TotalSeconds, connections, threads);
        var load = await WrkRunner.RunAsync(wrk, verifyUri, script, seconds, connections, threads);
        var after = await SampleAsync(http, verifyUri, body, token);
        if (app.HasExited)
        {
            throw new InvalidOperationException("The handler exited during the load: " + string.Join(" | ", app.RecentOutput.TakeLast(5)));
        }

        var loadAverage = LoadAverage();
        var single = InProcessVerifyRate.Measure(publication.Keys, token.Jws, 1, InProcessBudget);
        var all = InProcessVerifyRate.Measure(publication.Keys, token.Jws, Environment.ProcessorCount, InProcessBudget);

        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture,
            $"verify-load: {seconds} s, {connections} connections, {threads} wrk threads (HTTP/1.1 keep-alive, after a {WarmUp.TotalSeconds:0} s warm-up) against Rtgf.Functions " +
            $"(Release, self-contained {RuntimeInformation.RuntimeIdentifier}) on 127.0.0.1; Azurite in memory; {Environment.ProcessorCount} cores shared by wrk, the app and Azurite");
        // The app inherits this process's environment: Logging__LogLevel__Default=Warning drops the per-invocation log line.
        var logLevel = Environment.GetEnvironmentVariable("Logging__LogLevel__Default");
        output.AppendLine(logLevel is null
            ? "app logging: as shipped (Information: one JSON line per invocation on stdout, read by this process as the host would)"
            : $"app logging: Logging__LogLevel__Default={logLevel} (from this process's environment)");
        output.AppendLine(CultureInfo.InvariantCulture, $"machine load average (1/5/15 min) at the end of the wrk run: {loadAverage}");
        output.AppendLine(CultureInfo.InvariantCulture, $"sample before the load: {before}; after: {after}");
        output.AppendLine(CultureInfo.InvariantCulture,
            $"POST /verify: {load.RequestsPerSecond:N0} requests/s ({load.Requests:N0} requests, {load.NonSuccess:N0} non-2xx, {load.SocketErrors:N0} socket errors); " +
            $"latency p50 {Ms(load, 50)}, p75 {Ms(load, 75)}, p90 {Ms(load, 90)}, p99 {Ms(load, 99)}");
        output.AppendLine(CultureInfo.InvariantCulture,
            $"in process (Es256TokenVerifier, same JWKS and token, {InProcessBudget.TotalSeconds:0} s each): 1 thread {single:N0} verifies/s; {Environment.ProcessorCount} threads {all:N0} verifies/s");
        output.AppendLine(CultureInfo.InvariantCulture,
            $"ratio: HTTP /verify {load.RequestsPerSecond / all:P1} of the in-process all-core rate ({load.RequestsPerSecond / single:P1} of one thread)");
        Console.Write(output);
        return load.NonSuccess == 0 && load.SocketErrors == 0 ? 0 : 1;
    }

    private static bool TryParse(string[] args, int index, int fallback, out int value)
    {
        value = fallback;
        return args.Length <= index || (int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0);
    }

    // Other work on the shared cores skews every figure here; the load average says how much there was.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Ms(WrkResult result, int percentile) =>
        string.Create(CultureInfo.InvariantCulture, $"{result.Latency[percentile].TotalMilliseconds:0.00} ms");

    private static async Task<string> PublishHandlerAsync(string root, string output)
    {
        Console.WriteLine($"publishing Rtgf.Functions (Release, {RuntimeInformation.RuntimeIdentifier}, self-contained, ReadyToRun, as deployed)");
        await ChildProcess.RunAsync(new ChildProcessStartInfo("dotnet publish Rtgf.Functions", "dotnet")
        {
            Arguments = ["publish", Path.Combine(root, "functions", "Rtgf.Functions", "Rtgf.Functions.csproj"), "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-o", output, "--nologo", "-v", "quiet"],
            WorkingDirectory = root,
        });
        return output;
    }

    private static async Task WaitUntilReadyAsync(ChildProcess app, HttpClient http, Uri baseUri)
    {
        var started = BenchClock.System.GetTimestamp();
        while (true)
        {
            if (app.HasExited)
            {
                throw new InvalidOperationException("The handler exited before answering: " + string.Join(" | ", app.RecentOutput.TakeLast(5)));
            }

            try
            {
                using var response = await http.GetAsync(baseUri);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (BenchClock.System.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The handler did not answer GET / within 60 s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), BenchClock.System);
        }
    }

    /// <summary>One request outside the load: the verdict must be valid, name the token's subject and find it unrevoked in its status list.</summary>
    private static async Task<string> SampleAsync(HttpClient http, Uri verifyUri, string body, RegisteredToken token)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(verifyUri, content);
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
