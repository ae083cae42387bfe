using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Rtgf.FunctionsHost.Channel;
using Rtgf.LocalRunner.Http;
using Rtgf.LocalRunner.Invocation;
using Rtgf.LocalRunner.Triggers;
using Rtgf.StripeStandIn;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>What a local run uses.</summary>
internal sealed record RunnerOptions
{
    public required string RepositoryRoot { get; init; }

    /// <summary>The worker app's build output to run; null builds functions/Rtgf.Functions first.</summary>
    public string? AppDirectory { get; init; }

    /// <summary>local.settings.json; null means ./local.settings.json, else the repository's sample.</summary>
    public string? SettingsPath { get; init; }

    public int? Port { get; init; }

    /// <summary>Request bodies above this many bytes are refused with a 413 (the host's maxRequestBodySize).</summary>
    public long MaxRequestBodySize { get; init; } = HttpFront.DefaultMaxRequestBodySize;

    /// <summary>A storage connection string to use instead of starting Azurite.</summary>
    public string? Storage { get; init; }

    /// <summary>Azurite keeps nothing on disk (otherwise data lives under artifacts/local/azurite).</summary>
    public bool InMemoryStorage { get; init; }

    /// <summary>Let the OS pick Azurite's ports instead of trying 10000-10002 first.</summary>
    public bool AnyStoragePorts { get; init; }

    /// <summary>Start the upstream simulator and point the connectors at it (the default), or leave the Upstream settings alone.</summary>
    public UpstreamMode Upstream { get; init; } = UpstreamMode.Simulator;

    /// <summary>The simulator's world: the fixed small sample (default) or the national-scale one.</summary>
    public SimulatorCorpus Corpus { get; init; } = SimulatorCorpus.Small;

    /// <summary>The simulator's port on 127.0.0.1; 0 lets the OS choose.</summary>
    public int SimulatorPort { get; init; }
}

/// <summary>
/// A local run, as the Functions host runs the app: Azurite, the upstream simulator, the gRPC endpoint, the worker
/// process (the app's build output), its timers and Storage queue triggers, and HTTP on localhost; stopped in reverse
/// order on Ctrl-C (WorkerTerminate, then the worker process ends) with everything it started.
/// </summary>
internal sealed class LocalRunnerHost(RunnerOptions options, RunnerEvents events, TimeProvider timeProvider)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WorkerStartTimeout = TimeSpan.FromSeconds(90);

    public async Task<int> RunAsync(CancellationToken stop)
    {
        var cleanup = new Stack<Func<Task>>();
        try
        {
            return await RunCoreAsync(cleanup, stop).ConfigureAwait(false);
        }
        finally
        {
            events.Emit("stopping");
            while (cleanup.TryPop(out var step))
            {
                // Every step runs whatever the one before did: Azurite must not outlive the runner because a directory would not go.
                try
                {
                    await step().ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    events.Emit("warning", ("message", "a stopping step failed: " + e.Message.Split('\n')[0]));
                }
            }

            events.Emit("stopped");
        }
    }

    private async Task<int> RunCoreAsync(Stack<Func<Task>> cleanup, CancellationToken stop)
    {
        var settings = LoadSettings();
        events.Emit("settings", ("path", settings.Path));

        var appDirectory = Path.GetFullPath(options.AppDirectory ?? await DevelopmentTools.BuildAppAsync(options.RepositoryRoot, events, timeProvider, stop).ConfigureAwait(false));
        var hostJson = AppHostJson.Load(appDirectory);
        events.Emit("app", ("path", appDirectory), ("routePrefix", hostJson.RoutePrefix));

        // The simulator starts while Azurite does (the national world takes seconds to generate).
        var upstream = StartUpstreamAsync(stop);
        cleanup.Push(() => StopUpstreamAsync(upstream));
        var storage = await StartStorageAsync(cleanup, stop).ConfigureAwait(false);
        var blobs = new BlobServiceClient(storage);
        var timerStatus = new TimerStatusStore(blobs.GetBlobContainerClient(TimerStatusStore.ContainerName), "rtgf-local");
        await timerStatus.CreateAsync(stop).ConfigureAwait(false);

        var port = options.Port ?? settings.LocalHttpPort ?? 7071;
        var simulator = await upstream.ConfigureAwait(false);
        var stripe = await StartStripeAsync(port, hostJson.RoutePrefix, cleanup, stop).ConfigureAwait(false);
        var environment = WorkerEnvironment(settings, storage);
        SettingDefaults.Apply(environment, settings, DevelopmentDefaults(settings, simulator, stripe, port, cleanup));
        var workerSettings = settings.With(environment);

        var server = await FunctionsHostServer.StartAsync(cancellationToken: stop).ConfigureAwait(false);
        cleanup.Push(async () => await server.DisposeAsync().ConfigureAwait(false));
        var log = new WorkerLog(events);
        var started = timeProvider.GetTimestamp();
        events.Emit("worker", ("message", "starting the worker"), ("grpc", server.Uri.AbsoluteUri));
        WorkerProcess worker;
        try
        {
            worker = await WorkerProcess.StartAsync(
                server,
                appDirectory,
                environment.ToDictionary(e => e.Key, e => (string?)e.Value, StringComparer.Ordinal),
                log.Write,
                log.Output,
                WorkerStartTimeout,
                stop).ConfigureAwait(false);
        }
        catch (WorkerHandshakeException e)
        {
            throw new RunnerException(e.Message, e);
        }

        cleanup.Push(async () =>
        {
            events.Emit("shutdown", ("step", "worker"), ("pid", worker.ProcessId), ("alreadyExited", worker.HasExited));
            if (await worker.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false))
            {
                events.Emit("warning", ("message", "the worker did not exit within 5 s of WorkerTerminate and was killed"));
            }
            await worker.DisposeAsync().ConfigureAwait(false);
        });
        var channel = worker.Channel;
        await WaitForWorkerHttpAsync(channel, worker, stop).ConfigureAwait(false);
        events.Emit("worker", ("pid", worker.ProcessId), ("version", channel.WorkerVersion), ("http", channel.HttpUri?.AbsoluteUri), ("functions", channel.Functions.Count), ("readyMs", Math.Round(timeProvider.GetElapsedTime(started).TotalMilliseconds)));

        var queues = new StorageQueues(workerSettings, hostJson.Queues.Base64, events);
        var runner = new FunctionRunner(channel.InvokeAsync, queues, events, timeProvider);
        var plan = FunctionPlan.Create(channel.Functions, queues, hostJson.RoutePrefix, events);

        var runnable = new Dictionary<string, RunFunction>(StringComparer.OrdinalIgnoreCase);
        var loops = new List<Func<CancellationToken, Task>>();
        foreach (var timer in plan.Timers)
        {
            var scheduler = new TimerScheduler(timer.Function, timer.Schedule, timerStatus, runner, events);
            runnable[timer.Function.Name] = (_, ct) => scheduler.RunNowAsync(ct);
            loops.Add(scheduler.RunAsync);
        }

        foreach (var trigger in plan.QueueTriggers)
        {
            await queues.EnsureAsync(trigger.Queue, stop).ConfigureAwait(false);
            var listener = new QueueListener(trigger.Function, trigger.Queue, trigger.PoisonQueue, hostJson.Queues, runner, events);
            runnable[trigger.Function.Name] = (input, ct) => listener.RunNowAsync(input ?? string.Empty, ct);
            loops.Add(listener.RunAsync);
        }

#pragma warning disable CA2000 // Disposed by the cleanup stack, in reverse start order.
        var background = new BackgroundRuns(events);
        var front = await HttpFront.StartAsync(port, options.MaxRequestBodySize, channel, hostJson.RoutePrefix, runnable, background, events, timeProvider, stop).ConfigureAwait(false);
#pragma warning restore CA2000
        cleanup.Push(async () => await front.DisposeAsync().ConfigureAwait(false));
        RunnerState.Write(options.RepositoryRoot, port, Environment.ProcessId);
        cleanup.Push(() =>
        {
            RunnerState.Remove(options.RepositoryRoot, Environment.ProcessId);
            return Task.CompletedTask;
        });

        events.Emit(
            "ready",
            ("http", front.Address.AbsoluteUri),
            ("blob", blobs.Uri.AbsoluteUri),
            ("queue", new global::Azure.Storage.Queues.QueueServiceClient(storage).Uri.AbsoluteUri),
            ("table", new TableServiceClient(storage).Uri.AbsoluteUri),
            ("simulator", simulator?.BaseAddress.AbsoluteUri),
            ("stripe", stripe?.BaseAddress.AbsoluteUri),
            ("workerPid", worker.ProcessId));

        // Triggers run until Ctrl-C; invocations already running then finish (up to the drain timeout).
        using var triggers = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var running = loops.Select(loop => Task.Run(() => loop(triggers.Token), CancellationToken.None)).ToList();
        var stopped = Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        var first = await Task.WhenAny(stopped, channel.Closed).ConfigureAwait(false);
        await triggers.CancelAsync().ConfigureAwait(false);
        await DrainAsync([.. running, background.WhenAllAsync()]).ConfigureAwait(false);
        events.Emit("shutdown", ("step", "drained"), ("pid", worker.ProcessId), ("alreadyExited", worker.HasExited));

        // A stream that closes once stopping has begun (the worker got the Ctrl-C too) is the end of a normal run, not a crash.
        if (first == channel.Closed && !stop.IsCancellationRequested)
        {
            throw new RunnerException($"The worker ended its stream while running{(worker.HasExited ? " (its process exited)" : string.Empty)}: {worker.RecentOutput.LastOrDefault(l => l.Length > 0) ?? "(no output)"}");
        }

        return 0;
    }

    // The worker says where its HTTP server will listen before that server accepts connections: wait for it, so "ready" means ready.
    private async Task WaitForWorkerHttpAsync(WorkerChannel channel, WorkerProcess worker, CancellationToken stop)
    {
        if (channel.HttpUri is not { } uri)
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(WorkerStartTimeout);
        while (true)
        {
            if (worker.HasExited)
            {
                throw new RunnerException($"The worker exited before its HTTP server accepted connections: {worker.RecentOutput.LastOrDefault(l => l.Length > 0) ?? "(no output)"}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(uri.Host, uri.Port, deadline.Token).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                throw new RunnerException($"The worker's HTTP server ({uri}) did not accept connections within {WorkerStartTimeout.TotalSeconds:0} s.");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), timeProvider, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                throw new RunnerException($"The worker's HTTP server ({uri}) did not accept connections within {WorkerStartTimeout.TotalSeconds:0} s.");
            }
        }
    }

    private async Task DrainAsync(List<Task> running)
    {
        var all = Task.WhenAll(running);
        var finished = await Task.WhenAny(all, Task.Delay(DrainTimeout, timeProvider)).ConfigureAwait(false);
        if (finished != all)
        {
            events.Emit("warning", ("message", $"invocations still running after {DrainTimeout.TotalSeconds:0} s are abandoned; their messages will be delivered again"));
        }
        else if (all.IsFaulted)
        {
            events.Emit("warning", ("message", "a trigger stopped with an error: " + all.Exception?.GetBaseException().Message));
        }
    }

    private LocalSettings LoadSettings()
    {
        var path = options.SettingsPath
            ?? new[] { Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json"), Path.Combine(options.RepositoryRoot, "local.settings.json"), Path.Combine(options.RepositoryRoot, "local.settings.sample.json") }
                .FirstOrDefault(File.Exists)
            ?? throw new RunnerException("No local.settings.json (or local.settings.sample.json) was found; pass --settings.");
        return File.Exists(path) ? LocalSettings.Load(path) : throw new RunnerException($"Settings file {path} does not exist.");
    }

    /// <summary>The connection string of the storage in use: the one given, or the Azurite this run starts.</summary>
    private async Task<string> StartStorageAsync(Stack<Func<Task>> cleanup, CancellationToken stop)
    {
        if (options.Storage is { } connectionString)
        {
            string account;
            try
            {
                account = new BlobServiceClient(connectionString).AccountName;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                throw new RunnerException($"--storage is not a storage connection string: {e.Message}");
            }

            events.Emit("storage", ("account", account), ("started", false));
            return connectionString;
        }

        await DevelopmentTools.EnsureAzuriteAsync(options.RepositoryRoot, events, stop).ConfigureAwait(false);
        var defaults = !options.AnyStoragePorts && LoopbackPorts.AreFree(10000, 10001, 10002);
        var azurite = await AzuriteServer.StartAsync(
            new AzuriteServerOptions(options.RepositoryRoot)
            {
                InMemory = options.InMemoryStorage,
                Location = options.InMemoryStorage ? null : Path.Combine(options.RepositoryRoot, "artifacts", "local", "azurite"),
                BlobPort = defaults ? 10000 : 0,
                QueuePort = defaults ? 10001 : 0,
                TablePort = defaults ? 10002 : 0,
            },
            stop).ConfigureAwait(false);
        cleanup.Push(async () =>
        {
            events.Emit("shutdown", ("step", "azurite"), ("pid", azurite.ProcessId), ("alreadyExited", azurite.HasExited));
            await azurite.DisposeAsync().ConfigureAwait(false);
        });
        events.Emit("azurite", ("pid", azurite.ProcessId), ("blob", azurite.Account.BlobEndpoint.AbsoluteUri), ("inMemory", options.InMemoryStorage));
        if (!defaults && !options.AnyStoragePorts)
        {
            events.Emit("warning", ("message", "ports 10000-10002 are taken, so Azurite listens elsewhere; UseDevelopmentStorage=true settings are rewritten for the worker"));
        }

        return azurite.ConnectionString;
    }

    private async Task<SimulatorServer?> StartUpstreamAsync(CancellationToken stop)
    {
        if (options.Upstream == UpstreamMode.None)
        {
            events.Emit("simulator", ("started", false), ("message", "--upstream none: the worker gets the Upstream settings as configured"));
            return null;
        }

        var simulator = await LocalUpstream.StartAsync(options.Corpus, options.SimulatorPort, timeProvider, stop).ConfigureAwait(false);
        events.Emit(
            "simulator",
            ("started", true),
            ("url", simulator.BaseAddress.AbsoluteUri),
            ("admin", new Uri(simulator.BaseAddress, "_sim/status").AbsoluteUri),
            ("corpus", options.Corpus.ToString().ToLowerInvariant()),
            ("seed", options.Corpus == SimulatorCorpus.National ? LocalUpstream.Seed : null));
        return simulator;
    }

    private static async Task StopUpstreamAsync(Task<SimulatorServer?> upstream)
    {
        SimulatorServer? simulator;
        try
        {
            simulator = await upstream.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RunnerException or OperationCanceledException or IOException)
        {
            return; // it never started; the run has already reported why
        }

        if (simulator is not null)
        {
            await simulator.DisposeAsync().ConfigureAwait(false);
        }
    }

    // With the simulator, Stripe is offline too: the stand-in, delivering to this runner's /hooks/stripe.
    private async Task<StripeStandInServer?> StartStripeAsync(int port, string routePrefix, Stack<Func<Task>> cleanup, CancellationToken stop)
    {
        if (options.Upstream == UpstreamMode.None)
        {
            return null;
        }

        var hooks = LocalStripe.Hooks(port, routePrefix);
        var stripe = await LocalStripe.StartAsync(hooks, timeProvider, stop).ConfigureAwait(false);
        cleanup.Push(async () => await stripe.DisposeAsync().ConfigureAwait(false));
        events.Emit(
            "stripe",
            ("url", stripe.BaseAddress.AbsoluteUri),
            ("admin", new Uri(stripe.BaseAddress, "_standin/events").AbsoluteUri),
            ("webhooks", hooks.AbsoluteUri));
        return stripe;
    }

    /// <summary>
    /// Settings a local run supplies when neither local.settings.json nor the environment sets them: the Upstream
    /// settings (pointing at the simulator), the Resend and Cellcast settings (the simulator records what they send),
    /// the Stripe settings (pointing at the stand-in), a development issuer key,
    /// the API keys' hash key, and who we are (the gateway's address).
    /// </summary>
    private List<KeyValuePair<string, string>> DevelopmentDefaults(LocalSettings settings, SimulatorServer? simulator, StripeStandInServer? stripe, int port, Stack<Func<Task>> cleanup)
    {
        var defaults = new List<KeyValuePair<string, string>>();
        string? keyDirectory = null;
        if (simulator is not null)
        {
            var upstream = LocalUpstream.Settings(simulator.BaseAddress);
            var overridden = upstream.Where(s => SettingDefaults.IsSet(settings, s.Key)).Select(s => s.Key).ToList();
            if (overridden.Count > 0)
            {
                events.Emit("warning", ("message", "these settings are set, so they win over the simulator's: " + string.Join(", ", overridden)));
            }

            defaults.AddRange(upstream);
            defaults.AddRange(LocalComms.Settings(simulator.BaseAddress)); // email and SMS recorded by the simulator, never sent
        }

        if (stripe is not null)
        {
            // A Stripe setting the developer set wins; a secret key other than the stand-in's makes every checkout fail.
            var standIn = LocalStripe.Settings(stripe);
            var overridden = standIn.Where(s => SettingDefaults.IsSet(settings, s.Key)).Select(s => s.Key).ToList();
            if (overridden.Count > 0)
            {
                events.Emit("warning", ("message", "these settings are set, so they win over the Stripe stand-in's: " + string.Join(", ", overridden)));
            }

            defaults.AddRange(standIn);
        }

        if (!SettingDefaults.IsSet(settings, "Signing__KeyVaultKeyId") && !SettingDefaults.IsSet(settings, "Signing__DevelopmentKeyPath"))
        {
            var path = Path.Combine(keyDirectory ??= KeyDirectory(cleanup), DevelopmentIssuerKey.FileName);
            var created = DevelopmentIssuerKey.Ensure(path);
            events.Emit("signing", ("keyPath", path), ("created", created));
            defaults.Add(new("Signing__DevelopmentKeyPath", path));
        }

        if (!SettingDefaults.IsSet(settings, "Archive__KeyVaultKeyId") && !SettingDefaults.IsSet(settings, "Archive__DevelopmentKeyPath"))
        {
            // The session archives' development key-encryption key (32 random bytes, base64, owner-only file), kept so
            // archives made by earlier local runs stay readable; in Azure it is a Key Vault RSA key (docs/spec/archives.md).
            var path = Path.Combine(keyDirectory ??= KeyDirectory(cleanup), "dev-archive-key");
            DevelopmentApiHashKey.Ensure(path);
            defaults.Add(new("Archive__DevelopmentKeyPath", path));
            events.Emit("archive", ("keyPath", path));
        }

        if (!SettingDefaults.IsSet(settings, "ApiKeys__HashKey"))
        {
            // The value goes to the worker's environment only; the event names the file, never the key.
            var path = Path.Combine(keyDirectory ??= KeyDirectory(cleanup), DevelopmentApiHashKey.FileName);
            defaults.Add(new("ApiKeys__HashKey", DevelopmentApiHashKey.Ensure(path)));
            events.Emit("api-keys", ("hashKeyPath", path));
        }

        if (!SettingDefaults.IsSet(settings, "Waitlist__LinkKey"))
        {
            // The waitlist's link key is the same kind of development secret (32 random bytes in an owner-only file), so
            // emailed links keep working across local runs; in Azure it is a Key Vault reference (docs/spec/waitlist.md).
            var path = Path.Combine(keyDirectory ??= KeyDirectory(cleanup), "dev-waitlist-link-key");
            defaults.Add(new("Waitlist__LinkKey", DevelopmentApiHashKey.Ensure(path)));
            events.Emit("waitlist", ("linkKeyPath", path));
        }

        if (!SettingDefaults.IsSet(settings, "Waitlist__IdKey"))
        {
            // The waitlist's id key (the pepper of lead ids and limit counters): kept like the link key, since lead ids
            // depend on it and must not change between local runs.
            var path = Path.Combine(keyDirectory ??= KeyDirectory(cleanup), "dev-waitlist-id-key");
            defaults.Add(new("Waitlist__IdKey", DevelopmentApiHashKey.Ensure(path)));
            events.Emit("waitlist", ("idKeyPath", path));
        }

        defaults.Add(new("AZURE_FUNCTIONS_ENVIRONMENT", "Development")); // as Core Tools sets it; the development key needs it
        var address = $"http://localhost:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        defaults.Add(new("Rtgf__Issuer", address));
        defaults.Add(new("Rtgf__PublicBaseUrl", address));
        defaults.Add(new("Rtgf__LogOrigin", "localhost/rtgf/log"));
        return defaults;
    }

    // The key lives with the run's data: artifacts/local when that is kept, a temporary directory (deleted on stop) with --in-memory.
    private string KeyDirectory(Stack<Func<Task>> cleanup)
    {
        if (!options.InMemoryStorage)
        {
            return Path.Combine(options.RepositoryRoot, "artifacts", "local");
        }

        var directory = Directory.CreateTempSubdirectory("rtgf-local-").FullName;
        cleanup.Push(() =>
        {
            Directory.Delete(directory, recursive: true);
            return Task.CompletedTask;
        });
        return directory;
    }

    // App settings become the worker's environment; development-storage settings, and the storage connections the app
    // and the host use when they are not set, point at the storage in use.
    private static Dictionary<string, string> WorkerEnvironment(LocalSettings settings, string storage)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in settings.Values)
        {
            environment[name] = string.Equals(value.Trim().TrimEnd(';'), "UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
                ? storage
                : value;
        }

        foreach (var connection in new[] { StorageQueues.DefaultConnection, "RtgfStorage" })
        {
            if (!settings.TryGet(connection, out _))
            {
                environment[connection] = storage;
            }
        }

        return environment;
    }
}
