using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Rtgf.Testing;
using Rtgf.Tooling;

namespace Rtgf.LocalRunner.Tests;

/// <summary>
/// The whole suite as <c>dotnet run --project tools/Rtgf.LocalRunner</c> runs it, for end-to-end tests: the runner as a
/// process (JSON events) on the real app's build output (a .NET isolated worker), with Azurite in memory on OS-chosen ports, the upstream
/// simulator (small corpus) and HTTP on a free port. Use it as a class fixture (<c>IClassFixture&lt;SuiteRunner&gt;</c>,
/// default options) or start one with <see cref="StartAsync"/> and dispose it.
/// </summary>
public sealed class SuiteRunner : IAsyncLifetime, IAsyncDisposable
{
    private readonly SuiteRunnerOptions _options;
    private readonly string _directory = Directory.CreateTempSubdirectory("rtgf-suite-").FullName;
    private ChildProcess? _process;
    private HttpClient? _http;
    private HttpClient? _simulator;

    public SuiteRunner()
        : this(new SuiteRunnerOptions())
    {
    }

    private SuiteRunner(SuiteRunnerOptions options) => _options = options;

    /// <summary>Every event the runner has printed so far.</summary>
    public EventLog Events { get; } = new();

    /// <summary>The <c>ready</c> event (http, blob, queue, table, simulator, workerPid).</summary>
    public JsonObject Ready { get; private set; } = [];

    /// <summary>The runner's HTTP front: the app's HTTP routes and the host's admin API, e.g. <c>http://localhost:41234/</c>.</summary>
    public Uri HttpBaseUrl { get; private set; } = new("http://localhost/");

    /// <summary>A client on <see cref="HttpBaseUrl"/> (keys are not checked locally, as under <c>func start</c>).</summary>
    public HttpClient Http => _http ?? throw NotReady();

    /// <summary>The simulator's root (its upstream routes and <c>/_sim</c>); null with <c>--upstream none</c>.</summary>
    public Uri? SimulatorBaseUrl { get; private set; }

    /// <summary>A client on <see cref="SimulatorBaseUrl"/>.</summary>
    public HttpClient Simulator => _simulator ?? throw new InvalidOperationException("This runner started no simulator (--upstream none).");

    /// <summary>The storage the worker uses (Azurite), as a connection string.</summary>
    public string StorageConnectionString { get; private set; } = string.Empty;

    /// <summary>The worker's process id (its environment is readable under /proc on Linux).</summary>
    public int WorkerPid { get; private set; }

    public ChildProcess Process => _process ?? throw NotReady();

    public BlobServiceClient Blobs => new(StorageConnectionString);

    public TableServiceClient Tables => new(StorageConnectionString);

    /// <summary>A queue as the runner reads it (base64 messages, as host.json says).</summary>
    public QueueClient Queue(string name) => new QueueServiceClient(StorageConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).GetQueueClient(name);

    public static async Task<SuiteRunner> StartAsync(SuiteRunnerOptions options)
    {
        var runner = new SuiteRunner(options);
        try
        {
            await runner.InitializeAsync();
            return runner;
        }
        catch
        {
            await runner.DisposeAsync();
            throw;
        }
    }

    public async Task InitializeAsync()
    {
        var settings = Path.Combine(_directory, "local.settings.json");
        await File.WriteAllTextAsync(settings, SettingsJson(_options.Settings));
        var port = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        _process = ChildProcess.Start(new ChildProcessStartInfo("runner", "dotnet")
        {
            Arguments =
            [
                Path.Combine(BuildOutput.Directory("Rtgf.LocalRunner"), "rtgf-local.dll"),
                "--app", _options.AppDirectory ?? BuildOutput.Directory("Rtgf.Functions"),
                "--settings", settings, "--port", port, "--in-memory", "--any-storage-ports", "--output", "json",
                .. _options.Arguments,
            ],
            WorkingDirectory = _directory,
            OnOutputLine = (line, isError) =>
            {
                if (!isError && line.StartsWith('{'))
                {
                    Events.Add(line);
                }
            },
        });

        Ready = await WaitForAsync(e => (string?)e["event"] == "ready", "the runner to be ready");
        HttpBaseUrl = new Uri((string)Ready["http"]!);
        _http = new HttpClient { BaseAddress = HttpBaseUrl, Timeout = TimeSpan.FromMinutes(11) };
        if ((string?)Ready["simulator"] is { } simulator)
        {
            SimulatorBaseUrl = new Uri(simulator);
            _simulator = new HttpClient { BaseAddress = SimulatorBaseUrl };
        }

        StorageConnectionString = new AzuriteAccount(new Uri((string)Ready["blob"]!), new Uri((string)Ready["queue"]!), new Uri((string)Ready["table"]!)).ConnectionString;
        WorkerPid = (int)Ready["workerPid"]!;
    }

    /// <summary>Runs a function now (<c>POST /admin/functions/{name}?wait=true</c>) and returns its outcome; input is a queue message body.</summary>
    public async Task<FunctionRun> RunFunctionAsync(string name, string? input = null)
    {
        using var response = await Http.PostAsJsonAsync($"admin/functions/{Uri.EscapeDataString(name)}?wait=true", new JsonObject { ["input"] = input });
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
        return new FunctionRun(response.StatusCode, body ?? new JsonObject { ["body"] = text });
    }

    /// <summary>Applies one of the simulator's scripted scenarios (<c>rto-cancelled</c>, <c>qualification-superseded</c>, …) and returns what changed.</summary>
    public async Task<JsonObject> ApplyScenarioAsync(string name)
    {
        using var response = await Simulator.PostAsync(new Uri($"_sim/scenarios/{Uri.EscapeDataString(name)}", UriKind.Relative), content: null);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? (JsonObject)JsonNode.Parse(text)!
            : throw new InvalidOperationException($"The simulator refused scenario '{name}': {(int)response.StatusCode} {text}");
    }

    /// <summary>How many events have been printed: pass it to <see cref="WaitForAsync"/> as <c>since</c> to wait only for later ones.</summary>
    public int EventCount => Events.Events.Count;

    /// <summary>
    /// The first event (already printed or still to come) that matches, skipping the first <paramref name="since"/>
    /// events; fails if the runner exits or the wait ends.
    /// </summary>
    public Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what, TimeSpan? timeout = null, int since = 0) =>
        Eventually.ProbeAsync(
            () => Task.FromResult(Process.HasExited
                ? throw new InvalidOperationException($"The runner exited ({Process.ExitCode}) while waiting for {what}: " + string.Join(" | ", Process.RecentOutput.TakeLast(8)))
                : Events.Events.Skip(since).FirstOrDefault(match)),
            e => e is not null,
            timeout ?? _options.Wait,
            what).ContinueWith(t => t.Result!, TaskScheduler.Default);

    /// <summary>Stops the runner as Ctrl-C does (it stops the worker, the simulator and Azurite), then removes its files.</summary>
    public async Task DisposeAsync()
    {
        _http?.Dispose();
        _simulator?.Dispose();
        if (_process is not null)
        {
            _process.Interrupt();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
            finally
            {
                await _process.DisposeAsync();
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    // The sample's values (what a developer runs with), schedules parked, then the test's own settings.
    private static string SettingsJson(IReadOnlyDictionary<string, string> overrides)
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.FindRoot(), "local.settings.sample.json")))!.AsObject();
        var values = sample["Values"]!.AsObject();
        foreach (var name in values.Select(v => v.Key).Where(k => k.EndsWith("_SCHEDULE", StringComparison.Ordinal)).ToList())
        {
            values[name] = SuiteRunnerOptions.NeverInATestRun;
        }

        foreach (var (name, value) in overrides)
        {
            values[name] = value;
        }

        return sample.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static InvalidOperationException NotReady() => new("The runner has not started (await InitializeAsync or use SuiteRunner.StartAsync).");
}
