using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Rtgf.Testing;
using Rtgf.Tooling;

namespace Rtgf.LocalRunner.Tests;

/// <summary>
/// The runner as a user runs it: a process that starts Azurite, the gRPC host and a real .NET isolated worker (the test
/// worker's build output), then drives its functions: HTTP through the runner (bodies, the host's problems, the body
/// limit), a timer on its schedule and through <c>run</c>, a Storage queue trigger with outputs and poison messages.
/// </summary>
public sealed class EndToEndTests(EndToEndTests.RunningRunner runner) : IClassFixture<EndToEndTests.RunningRunner>
{
    /// <summary>
    /// The runner's body limit in these tests: below the worker's own Kestrel limit (30,000,000 bytes), so that the runner,
    /// not the worker, is the one that refuses a body over it.
    /// </summary>
    internal const long BodyLimit = 4L * 1024 * 1024;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Http_IsForwardedToTheWorker_WithItsBodyRouteValueAndInvocationId()
    {
        var body = Enumerable.Range(0, 1024 * 1024).Select(i => (byte)(i * 31 % 251)).ToArray();

        using var response = await runner.Http.PostAsync(new Uri("echo/abc?q=1", UriKind.Relative), new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("abc", "1", body.LongLength), ((string?)echo["id"], (string?)echo["query"], (long?)echo["length"] ?? -1));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), (string?)echo["sha256"]);
        var invocationId = (string?)echo["invocationId"];
        Assert.Equal(invocationId, (string?)echo["invocationHeader"]);
        var logged = await runner.WaitForAsync(e => Is(e, "invocation", "Echo") && (string?)e["invocationId"] == invocationId, "the HTTP invocation's line");
        Assert.Equal(("http", "succeeded", 200), ((string?)logged["trigger"], (string?)logged["outcome"], (int?)logged["status"] ?? 0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Http_BodyOverTheHostsLimit_Is413ProblemFromTheRunner(bool chunked)
    {
        var body = new byte[BodyLimit + (1024 * 1024)];
        var since = runner.Events.Events.Count;

        using var request = chunked ? Chunked("echo/too-big", body) : new HttpRequestMessage(HttpMethod.Post, "echo/too-big") { Content = new ByteArrayContent(body) };
        using var response = await runner.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(413, (int?)problem["status"]);
        // The runner writes its refusal line as the answer goes out, and the test reads it from the runner's output after
        // that: wait for this request's line (one from the other case of this theory is earlier than `since`).
        await runner.WaitForAsync(
            e => (string?)e["event"] == "refused" && (string?)e["path"] == "/echo/too-big" && runner.Events.Events.Skip(since).Contains(e),
            "the runner's refusal line for this request");
    }

    [Fact]
    public async Task Http_UnknownRouteAndWrongMethod_AreTheHostsOwnProblems()
    {
        using var unknown = await runner.Http.GetAsync(new Uri("no-such-route", UriKind.Relative));
        using var method = await runner.Http.DeleteAsync(new Uri("echo/abc", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        Assert.Contains("POST", method.Content.Headers.Allow);
    }

    [Fact]
    public async Task Timer_FiresOnItsSchedule_AndItsReturnValueGoesToItsQueue()
    {
        var tick = await runner.WaitForAsync(e => Is(e, "invocation", "RunnerTick") && (string?)e["outcome"] == "succeeded" && e["manual"] is null, "a scheduled timer run");

        Assert.Equal(("timer", "*/2 * * * * *"), ((string?)tick["trigger"], (string?)tick["schedule"]));
        var ticks = await Eventually.ProbeAsync(async () => await PeekAsync("runner-ticks"), m => m.Length > 0, Wait, "a message on runner-ticks");
        Assert.StartsWith("past-due=", ticks[0].MessageText, StringComparison.Ordinal);

        // The function's own log line reaches the console, tied to its invocation; ASP.NET Core's request chatter does not.
        await runner.WaitForAsync(e => (string?)e["event"] == "log" && (string?)e["invocationId"] == (string?)tick["invocationId"], "the timer's own log line");
        Assert.DoesNotContain(runner.Events.Events, e => (string?)e["event"] == "log" && (string?)e["level"] == "information" && ((string?)e["category"] ?? string.Empty).StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunCommand_RunsATimerNowInTheRunnerNamedByPort()
    {
        var since = runner.Events.Events.Count;
        var output = new List<string>();
        var run = ChildProcess.Start(new ChildProcessStartInfo("run", "dotnet")
        {
            Arguments = [RunningRunner.RunnerDll, "run", "RunnerTick", "--port", runner.Http.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            OnOutputLine = (line, _) =>
            {
                lock (output)
                {
                    output.Add(line);
                }
            },
        });
        await using (run)
        {
            await run.WaitForExitAsync().WaitAsync(Wait);
            Assert.Equal(0, run.ExitCode);
        }

        var answer = JsonNode.Parse(string.Join('\n', output))!;
        Assert.Equal("succeeded", (string?)answer["outcome"]);
        Assert.Contains(runner.Events.Events.Skip(since), e => Is(e, "invocation", "RunnerTick") && (bool?)e["manual"] == true && (string?)e["invocationId"] == (string?)answer["invocationId"]);
    }

    [Fact]
    public async Task QueueMessage_RunsItsFunction_SendsItsOutputs_ThenIsDeleted()
    {
        await runner.Queue("runner-in").SendMessageAsync("m1");

        var sent = await Eventually.ProbeAsync(async () => await PeekAsync("runner-out"), m => m.Length >= 2, Wait, "the two output messages");

        Assert.Equal(["m1-a", "m1-b-1"], sent.Select(m => m.MessageText).Order(StringComparer.Ordinal));
        await Eventually.ProbeAsync(async () => (await runner.Queue("runner-in").GetPropertiesAsync()).Value.ApproximateMessagesCount, c => c == 0, Wait, "the trigger message to be deleted");
    }

    [Fact]
    public async Task FailingQueueMessage_IsDeliveredMaxDequeueCountTimes_ThenMovedUnchangedToThePoisonQueue()
    {
        var sent = (await runner.Queue("runner-poison").SendMessageAsync("{\"order\":\"e2e-poison\"}")).Value;

        var poisoned = await runner.WaitForAsync(e => Is(e, "poison", "RunnerPoison") && (string?)e["messageId"] == sent.MessageId, "the message to be poisoned");

        // The test worker's host.json: maxDequeueCount 3.
        Assert.Equal(("runner-poison-poison", 3), ((string?)poisoned["poisonQueue"], (int?)poisoned["dequeueCount"] ?? 0));
        var deliveries = runner.Events.OfKind("invocation", "RunnerPoison").Where(e => (string?)e["messageId"] == sent.MessageId).ToList();
        Assert.Equal([1, 2, 3], deliveries.Select(e => (int?)e["dequeueCount"]));
        Assert.All(deliveries, e => Assert.Contains("refusing", (string?)e["error"], StringComparison.Ordinal));
        var dead = Assert.Single((await runner.Queue("runner-poison-poison").PeekMessagesAsync(32)).Value);
        Assert.Equal("{\"order\":\"e2e-poison\"}", dead.MessageText);
        Assert.Equal(0, (await runner.Queue("runner-poison").GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task AdminApi_RunsAFunctionNowAndReportsItsOutcome()
    {
        using var run = await runner.Http.PostAsJsonAsync("admin/functions/RunnerRelay?wait=true", new { input = "now" });
        using var unknown = await runner.Http.PostAsJsonAsync("admin/functions/no-such-function", new { input = string.Empty });
        using var httpFunction = await runner.Http.PostAsJsonAsync("admin/functions/Echo", new { input = string.Empty });

        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal("succeeded", (string?)(await run.Content.ReadFromJsonAsync<JsonObject>())!["outcome"]);
        var sent = await Eventually.ProbeAsync(async () => await PeekAsync("runner-out"), m => m.Any(x => x.MessageText == "now-a"), Wait, "the manual run's output");
        Assert.Contains(sent, m => m.MessageText == "now-b-1");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, httpFunction.StatusCode);
        Assert.Contains("call its route", await httpFunction.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain", null)]
    [InlineData("application/x-www-form-urlencoded", null)]
    [InlineData("multipart/form-data; boundary=b", null)]
    [InlineData("application/json", "https://evil.example")]
    public async Task AdminApi_CrossSiteShapedPost_IsRefusedWithAProblem(string contentType, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/functions/RunnerTick?wait=true")
        {
            Content = new StringContent("{\"input\":\"\"}", System.Text.Encoding.UTF8),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await runner.Http.SendAsync(request);

        Assert.Equal(origin is null ? HttpStatusCode.UnsupportedMediaType : HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    // A queue the runner has not written to yet does not exist: that is "no messages yet".
    private async Task<PeekedMessage[]> PeekAsync(string queue) =>
        await runner.Queue(queue).ExistsAsync() ? (await runner.Queue(queue).PeekMessagesAsync(32)).Value : [];

    internal static HttpRequestMessage Chunked(string path, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(new NonSeekable(body)) };
        request.Headers.TransferEncodingChunked = true;
        return request;
    }

    internal static bool Is(JsonObject e, string kind, string function) => (string?)e["event"] == kind && (string?)e["function"] == function;

    /// <summary>One runner for the class on the test worker, stopped (Ctrl-C) after.</summary>
    public sealed class RunningRunner : IAsyncLifetime
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("rtgf-e2e-").FullName;
        private ChildProcess? _process;
        private QueueServiceClient? _queues;

        public static string RunnerDll => Path.Combine(BuildOutput.Directory("Rtgf.LocalRunner"), "rtgf-local.dll");

        public EventLog Events { get; } = new();

        public HttpClient Http { get; private set; } = new();

        public ChildProcess Process => _process ?? throw new InvalidOperationException("The runner has not started.");

        public QueueClient Queue(string name) => (_queues ?? throw new InvalidOperationException("The runner is not ready.")).GetQueueClient(name);

        public async Task InitializeAsync()
        {
            _process = StartRunner(_directory, Events, "*/2 * * * * *", "--max-request-body-size", BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var ready = await WaitForAsync(e => (string?)e["event"] == "ready", "the runner to be ready");
            Http.Dispose();
            Http = new HttpClient { BaseAddress = new Uri((string)ready["http"]!), Timeout = TimeSpan.FromMinutes(2) };
            var storage = new AzuriteAccount(new Uri((string)ready["blob"]!), new Uri((string)ready["queue"]!), new Uri((string)ready["table"]!));
            _queues = new QueueServiceClient(storage.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            if (_process is not null)
            {
                // Ctrl-C, then let the runner stop its worker and Azurite before anything harsher.
                _process.Interrupt();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                await _process.DisposeAsync();
            }

            Directory.Delete(_directory, recursive: true);
        }

        public Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what) =>
            Eventually.ProbeAsync(
                () => Task.FromResult(Process.HasExited
                    ? throw new InvalidOperationException($"The runner exited ({Process.ExitCode}): " + string.Join(" | ", Process.RecentOutput.TakeLast(8)))
                    : Events.Events.FirstOrDefault(match)),
                e => e is not null,
                Wait,
                what).ContinueWith(t => t.Result!, TaskScheduler.Default);
    }

    /// <summary>Starts the runner the way a user does, on the test worker's build output, with JSON events.</summary>
    internal static ChildProcess StartRunner(string directory, EventLog events, string tickSchedule, params string[] arguments)
    {
        var settings = Path.Combine(directory, "local.settings.json");
        File.WriteAllText(settings, $$$"""
            {"IsEncrypted":false,"Values":{"AzureWebJobsStorage":"UseDevelopmentStorage=true","RtgfStorage":"UseDevelopmentStorage=true","RUNNER_TICK_SCHEDULE":"{{{tickSchedule}}}","RUNNER_IN_QUEUE":"runner-in","TICK_SCHEDULE":"0 0 0 1 1 *"}}
            """);
        var port = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ChildProcess.Start(new ChildProcessStartInfo("runner", "dotnet")
        {
            Arguments =
            [
                RunningRunner.RunnerDll,
                "--app", BuildOutput.Directory("Rtgf.FunctionsHost.TestWorker"),
                "--settings", settings, "--port", port, "--in-memory", "--any-storage-ports", "--upstream", "none", "--output", "json",
                .. arguments,
            ],
            WorkingDirectory = directory,
            OnOutputLine = (line, isError) =>
            {
                if (!isError && line.StartsWith('{'))
                {
                    events.Add(line);
                }
            },
        });
    }

    /// <summary>A body HttpClient cannot measure, so it is sent chunked.</summary>
    private sealed class NonSeekable(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
