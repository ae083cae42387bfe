using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.EndToEnd;

/// <summary>
/// The local runner as a black box: a child process (<c>--output json</c>, one event per line on stdout) and the HTTP
/// APIs it serves (the app's routes, the host's admin API, the simulator's <c>/_sim</c>). Nothing here touches storage,
/// so it keeps measuring whatever the runner and the app use underneath.
/// </summary>
internal sealed class RunnerUnderTest : IAsyncDisposable
{
    private readonly List<RunnerEvent> _events = [];
    private readonly StreamWriter _log;
    private readonly ChildProcess _process;
    private readonly TimeProvider _clock;
    private HttpClient? _http;
    private HttpClient? _simulator;

    private RunnerUnderTest(ChildProcessStartInfo start, string logPath, TimeProvider clock)
    {
        _clock = clock;
        _log = new StreamWriter(logPath) { AutoFlush = false };
        _process = ChildProcess.Start(start with { OnOutputLine = OnLine });
    }

    public HttpClient Http => _http ?? throw new InvalidOperationException("The runner is not ready.");

    public HttpClient Simulator => _simulator ?? throw new InvalidOperationException("The runner started no simulator.");

    /// <summary>How many events the runner has printed so far (a mark for <see cref="EventsSince"/>).</summary>
    public int EventCount
    {
        get
        {
            lock (_events)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet rtgf-local.dll</c> with the arguments; every event it prints is kept and written to
    /// <paramref name="logPath"/> (JSON lines) for a closer look afterwards.
    /// </summary>
    public static RunnerUnderTest Start(string runnerDll, IReadOnlyList<string> arguments, string workingDirectory, string logPath, TimeProvider clock) =>
        new(new ChildProcessStartInfo("local runner", "dotnet") { Arguments = [runnerDll, .. arguments], WorkingDirectory = workingDirectory }, logPath, clock);

    public IReadOnlyList<RunnerEvent> EventsSince(int mark)
    {
        lock (_events)
        {
            return _events.Skip(mark).ToList();
        }
    }

    /// <summary>Waits for the <c>ready</c> event and opens clients on the addresses it names.</summary>
    public async Task<RunnerEvent> WaitUntilReadyAsync(TimeSpan limit)
    {
        var ready = await PollAsync(() => Task.FromResult(EventsSince(0).FirstOrDefault(e => e.Kind == "ready")), limit, "the runner to be ready");
        _http = new HttpClient { BaseAddress = new Uri(ready.String("http") ?? throw new BenchFailure("The runner's ready event names no HTTP address.")), Timeout = TimeSpan.FromMinutes(2) };
        if (ready.String("simulator") is { } simulator)
        {
            _simulator = new HttpClient { BaseAddress = new Uri(simulator), Timeout = TimeSpan.FromMinutes(2) };
        }

        return ready;
    }

    /// <summary>
    /// Polls until <paramref name="probe"/> answers non-null; fails with one line if the runner exits, a pipeline
    /// message is moved to its poison queue or <paramref name="limit"/> passes. Waits between probes on the bench clock.
    /// </summary>
    public async Task<T> PollAsync<T>(Func<Task<T?>> probe, TimeSpan limit, string what, TimeSpan? interval = null)
        where T : class
    {
        var started = _clock.GetTimestamp();
        while (true)
        {
            if (_process.HasExited)
            {
                var recent = _process.RecentOutput;
                var last = recent.LastOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? (recent.Count > 0 ? recent[^1] : "(no output)");
                throw new BenchFailure($"the runner exited (code {_process.ExitCode}) while waiting for {what}: {last}");
            }

            if (EventsSince(0).FirstOrDefault(e => e.Kind == "poison") is { } poison)
            {
                throw new BenchFailure($"a {poison.String("function")} message was moved to {poison.String("poisonQueue")} while waiting for {what}: {poison.Raw}");
            }

            if (await probe() is { } found)
            {
                return found;
            }

            if (_clock.GetElapsedTime(started) > limit)
            {
                throw new BenchFailure(string.Create(CultureInfo.InvariantCulture, $"timed out after {limit.TotalMinutes:0.#} min waiting for {what}"));
            }

            await Task.Delay(interval ?? TimeSpan.FromSeconds(1), _clock);
        }
    }

    /// <summary>
    /// CPU time used so far by the runner (the gRPC Functions host, its triggers and HTTP front, and the in-process
    /// simulator), the app's worker and Azurite, by the process ids the runner's events name; a process that is gone is left out.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> CpuTime()
    {
        var events = EventsSince(0);
        var processes = new (string Name, int? Pid)[]
        {
            ("runner + simulator", _process.Id),
            ("worker (the app)", Pid(events, "worker")),
            ("Azurite", Pid(events, "azurite")),
        };
        var cpu = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var (name, pid) in processes)
        {
            try
            {
                using var process = pid is { } id ? System.Diagnostics.Process.GetProcessById(id) : null;
                if (process is not null)
                {
                    cpu[name] = process.TotalProcessorTime;
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // exited
            }
        }

        return cpu;
    }

    // The first event of that kind that names a pid (the runner's first "worker" event only says it is starting).
    private static int? Pid(IReadOnlyList<RunnerEvent> events, string kind) =>
        events.Where(e => e.Kind == kind).Select(e => e.Fields["pid"] is JsonValue v && v.TryGetValue<int>(out var pid) ? pid : (int?)null).FirstOrDefault(p => p is not null);

    /// <summary>Fires a function now, as its timer would (<c>POST /admin/functions/{name}</c>, not waiting for it).</summary>
    public async Task TriggerAsync(string function)
    {
        using var response = await Http.PostAsJsonAsync($"admin/functions/{Uri.EscapeDataString(function)}", new JsonObject());
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailure($"POST /admin/functions/{function}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public Task<JsonObject> GetJsonAsync(string path) => SendAsync(Http, HttpMethod.Get, path, null);

    public Task<JsonObject> PostJsonAsync(string path, JsonObject body) => SendAsync(Http, HttpMethod.Post, path, body);

    public Task<JsonObject> PostSimulatorAsync(string path, JsonObject? body = null) => SendAsync(Simulator, HttpMethod.Post, path, body ?? []);

    /// <summary>Stops the runner as Ctrl-C would (it stops the worker, the simulator and Azurite), killing it if it hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        _simulator?.Dispose();
        await _process.StopAsync(TimeSpan.FromSeconds(60));
        await _process.DisposeAsync();
        lock (_events)
        {
            _log.Dispose();
        }
    }

    private static async Task<JsonObject> SendAsync(HttpClient client, HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailure($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text) as JsonObject ?? throw new BenchFailure($"{method} {path} answered something other than a JSON object: {text}");
    }

    private void OnLine(string line, bool isError)
    {
        if (isError || !line.StartsWith('{'))
        {
            return;
        }

        RunnerEvent parsed;
        try
        {
            parsed = RunnerEvent.Parse(line);
        }
        catch (JsonException)
        {
            return; // a line that merely starts with a brace
        }

        lock (_events)
        {
            _events.Add(parsed);
            _log.WriteLine(line);
        }
    }
}

/// <summary>One line the runner printed with <c>--output json</c>: its time, its kind and its fields.</summary>
internal sealed record RunnerEvent(DateTimeOffset Time, string Kind, JsonObject Fields, string Raw)
{
    public static RunnerEvent Parse(string line)
    {
        var fields = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not an object");
        var time = DateTimeOffset.Parse((string?)fields["time"] ?? throw new JsonException("no time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new RunnerEvent(time, (string?)fields["event"] ?? string.Empty, fields, line);
    }

    public string? String(string name) => Fields[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>For an <c>invocation</c>: how long it ran, so it started at <see cref="Time"/> minus this.</summary>
    public TimeSpan Duration => Fields["durationMs"] is JsonValue v && v.TryGetValue<double>(out var ms) ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;

    public bool IsInvocation(string function, bool succeeded = true) =>
        Kind == "invocation" && String("function") == function && (!succeeded || String("outcome") == "succeeded");
}

/// <summary>A failure that is not about speed (the runner died, a wait ran out): one line, exit 1.</summary>
internal sealed class BenchFailure(string message) : Exception(message);
