using System.Collections.Concurrent;
using System.Text.Json;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Http;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.Benchmarks.Hosting;

/// <summary>
/// The app's worker started from the bench process on our gRPC host, reached exactly as the local runner reaches it
/// (<c>HttpFront</c>): <see cref="FunctionHttpHandler"/> over a <see cref="SocketsHttpHandler"/> with the runner's settings.
/// Counts what the worker sends back besides answers (RpcLog messages by category, console lines), since that is per-request work.
/// </summary>
internal sealed class BenchWorker : IAsyncDisposable
{
    private readonly WorkerProcess _process;
    private readonly Traffic _traffic;

    private BenchWorker(WorkerProcess process, Traffic traffic, HttpMessageInvoker http, Uri workerUri)
    {
        _process = process;
        _traffic = traffic;
        Http = http;
        WorkerUri = workerUri;
    }

    /// <summary>The worker's own HTTP server (its <c>HttpUri</c>).</summary>
    public Uri WorkerUri { get; }

    /// <summary>Sends to the app's routes (any http://localhost/... URI), as the runner's front does.</summary>
    public HttpMessageInvoker Http { get; }

    /// <summary>The worker's channel, for invoking non-HTTP functions as the host does.</summary>
    public WorkerChannel Channel => _process.Channel;

    public IReadOnlyList<string> RecentOutput => _process.RecentOutput;

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.ProcessId;

    /// <summary>Console lines the worker wrote so far (the host reads them).</summary>
    public int OutputLines => _traffic.OutputLines;

    /// <summary>RpcLog messages received so far, by category (sorted).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Logs => [.. _traffic.Logs.OrderBy(l => l.Key, StringComparer.Ordinal)];

    public int LogCount => _traffic.Logs.Values.Sum();

    public static async Task<BenchWorker> StartAsync(FunctionsHostServer host, string appDirectory, IReadOnlyDictionary<string, string?> settings)
    {
        var traffic = new Traffic();
        var process = await WorkerProcess.StartAsync(host, appDirectory, settings, traffic.Log, traffic.Output, TimeSpan.FromSeconds(90));
        var channel = process.Channel;
        var workerUri = channel.HttpUri ?? throw new InvalidOperationException("The worker announced no HttpUri (the app must use the ASP.NET Core integration).");
        var router = new HttpRouter(channel.Functions, RoutePrefix(appDirectory));

        // As tools/Rtgf.LocalRunner/Http/HttpFront.cs builds it.
#pragma warning disable CA2000 // The invoker owns the handlers (disposeHandler: true) and is disposed with this worker.
        var forward = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None };
        var http = new HttpMessageInvoker(new FunctionHttpHandler(channel, router, workerUri, forward, Startup.BenchClock.System), disposeHandler: true);
#pragma warning restore CA2000
        return new BenchWorker(process, traffic, http, workerUri);
    }

    /// <summary>The app settings a local run gives the worker: local.settings.sample.json's values, development storage replaced, then <paramref name="overrides"/>.</summary>
    public static Dictionary<string, string?> Settings(string root, string storage, IReadOnlyDictionary<string, string> overrides)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json")));
        foreach (var value in sample.RootElement.GetProperty("Values").EnumerateObject())
        {
            var text = value.Value.GetString() ?? string.Empty;
            settings[value.Name] = string.Equals(text.Trim().TrimEnd(';'), "UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase) ? storage : text;
        }

        foreach (var (name, value) in overrides)
        {
            settings[name] = value;
        }

        return settings;
    }

    public static string AppDirectory(string root) => Built(root, "Rtgf.Functions", "worker.config.json");

    /// <summary>The Release build output of a project this one builds (ProjectReference with ReferenceOutputAssembly=false).</summary>
    public static string Built(string root, string project, string file)
    {
        var directory = Path.Combine(root, "artifacts", "bin", project, "release");
        return File.Exists(Path.Combine(directory, file))
            ? directory
            : throw new InvalidOperationException($"{Path.Combine(directory, file)} does not exist: run the bench with -c Release (it builds {project}).");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
    }

    private static string RoutePrefix(string appDirectory)
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(appDirectory, "host.json")));
        return hostJson.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString() ?? "api"
            : "api";
    }

    private sealed class Traffic
    {
        private int _outputLines;

        public ConcurrentDictionary<string, int> Logs { get; } = new(StringComparer.Ordinal);

        public int OutputLines => Volatile.Read(ref _outputLines);

        public void Log(RpcLog log) => Logs.AddOrUpdate(log.Category, 1, static (_, n) => n + 1);

        public void Output(string line, bool isError) => Interlocked.Increment(ref _outputLines);
    }
}
