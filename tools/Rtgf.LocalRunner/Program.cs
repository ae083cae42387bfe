using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Rtgf.LocalRunner;
using Rtgf.LocalRunner.Hosting;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator;

var app = new Option<string?>("--app") { Description = "The function app's build output to run (worker.config.json, functions.metadata, host.json). Default: build functions/Rtgf.Functions (Release)." };
var settings = new Option<string?>("--settings") { Description = "local.settings.json to use. Default: ./local.settings.json, else local.settings.sample.json." };
var port = new Option<int?>("--port") { Description = "HTTP port on localhost. Default: Host.LocalHttpPort, else 7071." };
var storage = new Option<string?>("--storage") { Description = "Use this storage connection string instead of starting Azurite." };
var inMemory = new Option<bool>("--in-memory") { Description = "Keep Azurite's data in memory only (default: artifacts/local/azurite)." };
var anyPorts = new Option<bool>("--any-storage-ports") { Description = "Let the OS choose Azurite's ports instead of 10000-10002." };
var maxBody = new Option<long>("--max-request-body-size") { Description = "Largest HTTP request body in bytes; larger ones get a 413 problem (the host's default: 100 MB).", DefaultValueFactory = _ => Rtgf.LocalRunner.Http.HttpFront.DefaultMaxRequestBodySize };
var upstream = new Option<UpstreamMode>("--upstream") { Description = "simulator: start the upstream simulator and the Stripe stand-in and point the connectors and Stripe at them; none: use the Upstream and Stripe settings as they are.", DefaultValueFactory = _ => UpstreamMode.Simulator };
var corpus = new Option<SimulatorCorpus>("--corpus") { Description = "The simulator's world: small (fixed sample) or national (4,000 RTOs).", DefaultValueFactory = _ => SimulatorCorpus.Small };
var simulatorPort = new Option<int>("--simulator-port") { Description = "The simulator's port on 127.0.0.1. Default: one the OS picks.", DefaultValueFactory = _ => 0 };
var output = new Option<RunnerOutputFormat>("--output") { Description = "text for people, json for tools.", DefaultValueFactory = _ => RunnerOutputFormat.Text };

var root = new RootCommand("Runs the function app locally as the Azure Functions host does (gRPC to the .NET isolated worker): Azurite, the upstream simulator, timers, Storage queues and HTTP on localhost.")
{
    app, settings, port, maxBody, storage, inMemory, anyPorts, upstream, corpus, simulatorPort, output,
};
root.SetAction((parse, _) => Signals.RunUntilStoppedAsync(stop =>
{
    var events = new RunnerEvents(Console.Out, parse.GetValue(output), RunnerClock.System);
    var options = new RunnerOptions
    {
        RepositoryRoot = Signals.RepositoryRoot(),
        AppDirectory = parse.GetValue(app),
        SettingsPath = parse.GetValue(settings),
        Port = parse.GetValue(port),
        Storage = parse.GetValue(storage),
        InMemoryStorage = parse.GetValue(inMemory),
        AnyStoragePorts = parse.GetValue(anyPorts),
        MaxRequestBodySize = parse.GetValue(maxBody),
        Upstream = parse.GetValue(upstream),
        Corpus = parse.GetValue(corpus),
        SimulatorPort = parse.GetValue(simulatorPort),
    };
    return new LocalRunnerHost(options, events, RunnerClock.System).RunAsync(stop);
}));

var functionName = new Argument<string>("function") { Description = "The function to run now." };
var input = new Option<string?>("--input") { Description = "Message body for a queue-triggered function." };
var run = new Command("run", "Runs one function now in a running local runner (POST /admin/functions/{name}) and waits for its outcome.")
{
    functionName, input, port, settings,
};
run.SetAction(async (parse, cancellationToken) =>
{
    // The runner of this checkout: --port, else the running runner's state file, else the settings' port, else 7071.
    var repository = Signals.RepositoryRoot();
    var target = parse.GetValue(port)
        ?? RunnerState.RunningPort(repository)
        ?? (parse.GetValue(settings) is { } settingsPath ? LocalSettings.Load(settingsPath).LocalHttpPort : null)
        ?? new[] { Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json"), Path.Combine(repository, "local.settings.json") }.Where(File.Exists).Select(p => LocalSettings.Load(p).LocalHttpPort).FirstOrDefault(p => p is not null)
        ?? 7071;
    using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{target}/"), Timeout = TimeSpan.FromMinutes(11) };
    try
    {
        using var response = await http.PostAsJsonAsync($"admin/functions/{Uri.EscapeDataString(parse.GetValue(functionName)!)}?wait=true", new JsonObject { ["input"] = parse.GetValue(input) }, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Console.WriteLine(body);
        return response.IsSuccessStatusCode ? 0 : 1;
    }
    catch (HttpRequestException)
    {
        Console.Error.WriteLine($"error: no local runner answers on localhost:{target}; start one with `dotnet run --project tools/Rtgf.LocalRunner`.");
        return 2;
    }
});

root.Add(run);

// Ctrl-C is handled here (graceful stop), not by System.CommandLine's two-second termination.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

/// <summary>Turns SIGINT/SIGTERM into a graceful stop (a second signal exits at once) and errors into one line.</summary>
internal static class Signals
{
    public static async Task<int> RunUntilStoppedAsync(Func<CancellationToken, Task<int>> run)
    {
        using var stop = new CancellationTokenSource();
        var signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref signals) == 1)
            {
                context.Cancel = true; // the first signal stops gracefully
                stop.Cancel();
                return;
            }

            ChildProcess.KillAll(); // a second one exits at once, but never leaves Azurite or the worker behind
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            return await run(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is RunnerException or AzuriteStartException or FormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    /// <summary>The checkout this runner works in: above the current directory, else above the runner itself.</summary>
    public static string RepositoryRoot() =>
        RepositoryLayout.TryFindRoot(Directory.GetCurrentDirectory())
        ?? RepositoryLayout.TryFindRoot(AppContext.BaseDirectory)
        ?? throw new RunnerException("Run the local runner from a checkout of this repository (no Rtgf.Functions.sln above here).");
}
