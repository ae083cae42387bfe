using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Rtgf.CustomHandler.Metadata;
using Rtgf.LocalRunner;
using Rtgf.LocalRunner.Hosting;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator;

var scriptRoot = new Option<string?>("--script-root") { Description = "Script root to run (host.json + function folders). Default: publish functions/Rtgf.Functions." };
var settings = new Option<string?>("--settings") { Description = "local.settings.json to use. Default: ./local.settings.json, else local.settings.sample.json." };
var port = new Option<int?>("--port") { Description = "HTTP port on localhost. Default: Host.LocalHttpPort, else 7071." };
var storage = new Option<string?>("--storage") { Description = "Use this storage connection string instead of starting Azurite." };
var inMemory = new Option<bool>("--in-memory") { Description = "Keep Azurite's data in memory only (default: artifacts/local/azurite)." };
var anyPorts = new Option<bool>("--any-storage-ports") { Description = "Let the OS choose Azurite's ports instead of 10000-10002." };
var maxDeliveries = new Option<int>("--max-delivery-count") { Description = "Deliveries before a Service Bus message is dead-lettered.", DefaultValueFactory = _ => 10 };
var upstream = new Option<UpstreamMode>("--upstream") { Description = "simulator: start the upstream simulator and point the connectors at it; none: use the Upstream settings as they are.", DefaultValueFactory = _ => UpstreamMode.Simulator };
var corpus = new Option<SimulatorCorpus>("--corpus") { Description = "The simulator's world: small (fixed sample) or national (4,000 RTOs).", DefaultValueFactory = _ => SimulatorCorpus.Small };
var simulatorPort = new Option<int>("--simulator-port") { Description = "The simulator's port on 127.0.0.1. Default: one the OS picks.", DefaultValueFactory = _ => 0 };
var output = new Option<RunnerOutputFormat>("--output") { Description = "text for people, json for tools.", DefaultValueFactory = _ => RunnerOutputFormat.Text };

var root = new RootCommand("Runs an Azure Functions custom-handler script root locally: Azurite, the upstream simulator, the handler, timers, queues, bindings and HTTP on localhost.")
{
    scriptRoot, settings, port, storage, inMemory, anyPorts, maxDeliveries, upstream, corpus, simulatorPort, output,
};
root.SetAction((parse, _) => Signals.RunUntilStoppedAsync(stop =>
{
    var events = new RunnerEvents(Console.Out, parse.GetValue(output), RunnerClock.System);
    var options = new RunnerOptions
    {
        RepositoryRoot = Signals.RepositoryRoot(),
        ScriptRoot = parse.GetValue(scriptRoot),
        SettingsPath = parse.GetValue(settings),
        Port = parse.GetValue(port),
        Storage = parse.GetValue(storage),
        InMemoryStorage = parse.GetValue(inMemory),
        AnyStoragePorts = parse.GetValue(anyPorts),
        MaxDeliveryCount = parse.GetValue(maxDeliveries),
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
    functionName, input, port,
};
run.SetAction(async (parse, cancellationToken) =>
{
    var target = parse.GetValue(port) ?? 7071;
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

var list = new Command("functions", "Lists the functions of a script root and what the runner would do with each (starts nothing).")
{
    scriptRoot, settings,
};
list.SetAction(parse => Signals.Guard(() =>
{
    var repository = Signals.RepositoryRoot();
    var path = parse.GetValue(scriptRoot) ?? Path.Combine(repository, "artifacts", "local", "scriptroot");
    var settingsPath = parse.GetValue(settings) ?? Path.Combine(repository, File.Exists(Path.Combine(repository, "local.settings.json")) ? "local.settings.json" : "local.settings.sample.json");
    FunctionPlan.Create(ScriptRoot.Load(path), LocalSettings.Load(settingsPath), new RunnerEvents(Console.Out, RunnerOutputFormat.Text, RunnerClock.System));
    return 0;
}));

root.Add(run);
root.Add(list);

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

            ChildProcess.KillAll(); // a second one exits at once, but never leaves Azurite or the handler behind
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
        catch (Exception e) when (e is RunnerException or ScriptRootException or AzuriteStartException or FormatException or IOException or UnauthorizedAccessException)
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

    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is RunnerException or ScriptRootException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
