using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Rtgf.Benchmarks.Hosting;
using Rtgf.FunctionsHost.Channel;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.Startup;

/// <summary>
/// `startup [rounds]`: time from process start to the first <c>200</c>, side by side in one run, the three started
/// in turn each round (which goes first rotates) so machine noise hits all of them:
/// the local runner (<c>dotnet rtgf-local.dll --in-memory --any-storage-ports</c>: Azurite, the simulator, the gRPC
/// host, the worker, HTTP; first 200 on <c>GET /verify</c>); the app's worker started from this process on our gRPC
/// host as the runner starts it (<c>dotnet Rtgf.Functions.dll</c>, first 200 on <c>GET /verify</c> through
/// <see cref="Rtgf.FunctionsHost.Http.FunctionHttpHandler"/>); and the minimal ASP.NET Core app
/// (<c>dotnet Rtgf.Benchmarks.MinimalApp.dll</c>, first 200 on <c>GET /</c>). All three are Release build outputs,
/// framework-dependent, as deployed. Reports medians and their ratios.
/// </summary>
internal static class StartupBenchmark
{
    private const double Bar = 1.6;
    private const double CustomHandlerMedianMs = 269.1; // docs/benchmarks.md, 2026-11-25: the custom handler, which no longer exists
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 1 || (args.Length == 1 && (!int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out _) || args[0] == "0")))
        {
            await Console.Error.WriteLineAsync("startup: usage: startup [rounds > 0, default 20]");
            return 2;
        }

        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var root = RepositoryLayout.FindRoot();
        var runnerDll = Path.Combine(BenchWorker.Built(root, "Rtgf.LocalRunner", "rtgf-local.dll"), "rtgf-local.dll");
        var appDirectory = BenchWorker.AppDirectory(root);
        var minimalDll = Path.Combine(BenchWorker.Built(root, "Rtgf.Benchmarks.MinimalApp", "Rtgf.Benchmarks.MinimalApp.dll"), "Rtgf.Benchmarks.MinimalApp.dll");
        var sampleSettings = Path.Combine(root, "local.settings.sample.json");
        var clock = BenchClock.System;

        // The worker subject: the host's gRPC endpoint is up before any worker starts (as in the runner), and the app gets
        // the settings the runner would give it (storage, a development issuer key, who it is).
        var work = Directory.CreateTempSubdirectory("rtgf-startup-"); // 0700 on Unix: the key PEM is readable by this user only
        try
        {
            await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(root));
            await using var host = await FunctionsHostServer.StartAsync();
            var keyPath = Path.Combine(work.FullName, "issuer-key.pem");
            using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
            }

            var workerSettings = BenchWorker.Settings(root, azurite.ConnectionString, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Signing__DevelopmentKeyPath"] = keyPath,
                ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
                ["Rtgf__Issuer"] = "http://localhost:7071",
                ["Rtgf__PublicBaseUrl"] = "http://localhost:7071",
                ["Rtgf__LogOrigin"] = "localhost/rtgf/log",
            });

            var subjects = new (string Name, Func<Task<double>> Time)[]
            {
                ("local runner: start → first 200 (GET /verify)", () => TimeRunnerAsync(runnerDll, appDirectory, sampleSettings, root, clock)),
                ("worker process start → first 200 through the host (GET /verify)", () => TimeWorkerAsync(host, appDirectory, workerSettings, clock)),
                ("minimal ASP.NET Core app: start → first 200 (GET /)", () => TimeMinimalAsync(minimalDll, clock)),
            };

            // One untimed start of each warms the file cache and this process's client code.
            foreach (var subject in subjects)
            {
                await subject.Time();
            }

            var samples = subjects.Select(_ => new List<double>()).ToArray();
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < subjects.Length; i++)
                {
                    var index = (round + i) % subjects.Length; // rotate which goes first
                    samples[index].Add(await subjects[index].Time());
                }

                Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\rround {round + 1}/{rounds}"));
            }

            Console.Error.WriteLine();
            var sorted = samples.Select(s => s.Order().ToList()).ToArray();
            var medians = sorted.Select(Median).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Start to first 200, {rounds} starts each, interleaved ({RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} cores; load average {LoadAverage()}):"));
            Console.WriteLine("| start-up | median | p90 | min |");
            Console.WriteLine("|---|---:|---:|---:|");
            for (var i = 0; i < subjects.Length; i++)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {subjects[i].Name} | {medians[i]:0} ms | {sorted[i][(int)Math.Ceiling(sorted[i].Count * 0.9) - 1]:0} ms | {sorted[i][0]:0} ms |"));
            }

            var ratio = medians[1] / medians[2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"worker ready / minimal app (medians): {ratio:0.00} (bar: at most {Bar:0.0}); runner / minimal app: {medians[0] / medians[2]:0.0}; " +
                $"worker median / the custom handler's historical {CustomHandlerMedianMs:0} ms median (2026-11-25, another run): {medians[1] / CustomHandlerMedianMs:0.00}"));
            return ratio <= Bar ? 0 : 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<double> TimeRunnerAsync(string runnerDll, string appDirectory, string settings, string root, TimeProvider clock)
    {
        var port = LoopbackPorts.Free();
        var began = clock.GetTimestamp();
        await using var runner = ChildProcess.Start(new ChildProcessStartInfo("local runner", "dotnet")
        {
            Arguments = [runnerDll, "--app", appDirectory, "--settings", settings, "--in-memory", "--any-storage-ports", "--port", port.ToString(CultureInfo.InvariantCulture), "--output", "json"],
            WorkingDirectory = root,
        });
        try
        {
            await WaitForRawAsync(runner, port, "/verify", began, clock);
            return clock.GetElapsedTime(began).TotalMilliseconds;
        }
        finally
        {
            await runner.StopAsync(TimeSpan.FromSeconds(15)); // SIGTERM: the runner stops the worker, Azurite and the simulator
        }
    }

    private static async Task<double> TimeWorkerAsync(FunctionsHostServer host, string appDirectory, IReadOnlyDictionary<string, string?> settings, TimeProvider clock)
    {
        var began = clock.GetTimestamp();
        await using var worker = await BenchWorker.StartAsync(host, appDirectory, settings);

        // As the runner does: the worker announces its HttpUri before its Kestrel listens, so wait until it accepts
        // (FunctionHttpHandler would retry a refused connection only 50-250 ms later).
        while (!await AcceptsAsync(worker.WorkerUri.Port))
        {
            if (worker.HasExited || clock.GetElapsedTime(began) > Limit)
            {
                throw new InvalidOperationException("The worker's HTTP server did not accept connections: " + string.Join(" | ", worker.RecentOutput.TakeLast(5)));
            }

            await Task.Delay(Poll, clock);
        }

        var uri = new Uri("http://localhost/verify");
        while (true)
        {
            if (worker.HasExited)
            {
                throw new InvalidOperationException("The worker exited before answering: " + string.Join(" | ", worker.RecentOutput.TakeLast(5)));
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await worker.Http.SendAsync(request, CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return clock.GetElapsedTime(began).TotalMilliseconds;
            }

            if (clock.GetElapsedTime(began) > Limit)
            {
                throw new TimeoutException($"The worker did not answer 200 within {Limit.TotalSeconds:0} s (last: {(int)response.StatusCode}).");
            }

            await Task.Delay(Poll, clock);
        }
    }

    private static async Task<double> TimeMinimalAsync(string minimalDll, TimeProvider clock)
    {
        var port = LoopbackPorts.Free();
        var began = clock.GetTimestamp();
        await using var app = ChildProcess.Start(new ChildProcessStartInfo("minimal app", "dotnet")
        {
            Arguments = [minimalDll],
            WorkingDirectory = Path.GetDirectoryName(minimalDll),
            Environment = new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}") },
        });
        try
        {
            await WaitForRawAsync(app, port, "/", began, clock);
            return clock.GetElapsedTime(began).TotalMilliseconds;
        }
        finally
        {
            await app.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

    private static async Task WaitForRawAsync(ChildProcess process, int port, string path, long began, TimeProvider clock)
    {
        while (!await AnswersAsync(port, path))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited with {process.ExitCode} before answering: " + string.Join(" | ", process.RecentOutput.TakeLast(5)));
            }

            if (clock.GetElapsedTime(began) > Limit)
            {
                throw new TimeoutException($"{process.Name} did not answer 200 on {path} within {Limit.TotalSeconds:0} s: " + string.Join(" | ", process.RecentOutput.TakeLast(5)));
            }

            await Task.Delay(Poll, clock);
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // A raw HTTP/1.1 request: no HTTP client warm-up in the measurement, and refused connections are cheap.
    private static async Task<bool> AnswersAsync(int port, string path)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer);
            return read >= 12 && Encoding.ASCII.GetString(buffer, 0, 12) == "HTTP/1.1 200";
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
