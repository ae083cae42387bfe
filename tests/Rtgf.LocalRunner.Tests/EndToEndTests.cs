using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Rtgf.Testing;
using Rtgf.Tooling;

namespace Rtgf.LocalRunner.Tests;

/// <summary>
/// The runner as a user runs it: a process that starts Azurite and the test handler's script root, then
/// drives its catalogue (timer, Service Bus and Storage queue triggers, output bindings, HTTP both ways).
/// </summary>
public sealed class EndToEndTests(EndToEndTests.RunningRunner runner) : IClassFixture<EndToEndTests.RunningRunner>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Timer_FiresOnItsSchedule()
    {
        var tick = await runner.WaitForAsync(e => Is(e, "invocation", "tick") && (string?)e["outcome"] == "succeeded", "a timer run");

        Assert.Equal("timer", (string?)tick["trigger"]);
        Assert.Equal("*/2 * * * * *", (string?)tick["schedule"]);
    }

    [Fact]
    public async Task TimerOutput_FlowsThroughAQueueToTheQueueTriggeredFunction()
    {
        await runner.WaitForAsync(e => Is(e, "invocation", "relay") && (string?)e["outcome"] == "succeeded", "the relay to run");

        var done = await Eventually.ProbeAsync(async () => (await runner.Queue("done").PeekMessagesAsync()).Value, m => m.Length > 0, Wait, "a message on the done queue");

        var message = JsonNode.Parse(done[0].MessageText)!;
        Assert.Equal("tick", (string?)message["relayed"]!["source"]);
        Assert.Equal(1, (int?)message["deliveryCount"]);
    }

    [Fact]
    public async Task PoisonMessage_ReachesTheDeadLetterQueueAfterTheConfiguredDeliveries()
    {
        var sent = (await runner.Queue("poison-input").SendMessageAsync("{\"order\":\"e2e-poison\"}")).Value;

        var deadLetter = await runner.WaitForAsync(e => Is(e, "dead-letter", "poison") && (string?)e["messageId"] == sent.MessageId, "the dead letter");

        Assert.Equal(3, (int?)deadLetter["deliveryCount"]);
        var deliveries = runner.Events.OfKind("invocation", "poison").Where(e => (string?)e["messageId"] == sent.MessageId).ToList();
        Assert.Equal([1, 2, 3], deliveries.Select(e => (int?)e["deliveryCount"]));
        Assert.All(deliveries, e => Assert.Equal("failed", (string?)e["outcome"]));
        var dead = await Eventually.ProbeAsync(async () => (await runner.Queue("poison-input-deadletter").PeekMessagesAsync(32)).Value, m => m.Any(x => x.MessageText.Contains("e2e-poison", StringComparison.Ordinal)), Wait, "the dead-letter queue");
        Assert.Equal("{\"order\":\"e2e-poison\"}", dead.Single(m => m.MessageText.Contains("e2e-poison", StringComparison.Ordinal)).MessageText);
    }

    [Fact]
    public async Task StorageQueueMessage_ReachesItsFunctionAndOutputQueue()
    {
        await runner.Queue("storage-in").SendMessageAsync("copy me");

        var copies = await Eventually.ProbeAsync(async () => (await runner.Queue("storage-out").PeekMessagesAsync(32)).Value, m => m.Length > 0, Wait, "the copied message");

        Assert.Equal("copy me", (string?)JsonNode.Parse(copies[0].MessageText)!["copied"]);
    }

    [Fact]
    public async Task HttpCall_IsForwardedToTheHandlerAndAnswered()
    {
        using var http = new HttpClient { BaseAddress = runner.Http };

        var answer = await http.GetFromJsonAsync<JsonObject>("hello/world");

        Assert.Equal("world", (string?)answer!["hello"]);
        var invocationId = (string?)answer["invocationId"];
        Assert.False(string.IsNullOrEmpty(invocationId));
        var logged = await runner.WaitForAsync(e => Is(e, "invocation", "hello") && (string?)e["invocationId"] == invocationId, "the HTTP invocation");
        Assert.Equal(200, (int?)logged["status"]);
    }

    [Fact]
    public async Task HttpFunctionWithOtherOutputs_IsAnsweredThroughItsEnvelope()
    {
        using var http = new HttpClient { BaseAddress = runner.Http };

        using var response = await http.PostAsync(new Uri("echo/42", UriKind.Relative), new StringContent("ping"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(("42", "ping"), ((string?)body["id"], (string?)body["echoed"]));
        var audit = await Eventually.ProbeAsync(async () => (await runner.Queue("audit").PeekMessagesAsync(32)).Value, m => m.Length > 0, Wait, "the audit message");
        Assert.Equal("42", (string?)JsonNode.Parse(audit[0].MessageText)!["id"]);
    }

    [Fact]
    public async Task AdminApi_RunsAFunctionNowAndReportsItsOutcome()
    {
        using var http = new HttpClient { BaseAddress = runner.Http };

        using var run = await http.PostAsJsonAsync("admin/functions/tick?wait=true", new { input = string.Empty });
        using var unknown = await http.PostAsJsonAsync("admin/functions/no-such-function", new { input = string.Empty });
        using var httpFunction = await http.PostAsJsonAsync("admin/functions/hello", new { input = string.Empty });

        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal("succeeded", (string?)(await run.Content.ReadFromJsonAsync<JsonObject>())!["outcome"]);
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
        using var http = new HttpClient { BaseAddress = runner.Http };
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/functions/tick?wait=true")
        {
            Content = new StringContent("{\"input\":\"\"}", System.Text.Encoding.UTF8),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(origin is null ? HttpStatusCode.UnsupportedMediaType : HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static bool Is(JsonObject e, string kind, string function) => (string?)e["event"] == kind && (string?)e["function"] == function;

    /// <summary>One runner for the class: started with the test handler's script root, stopped after.</summary>
    public sealed class RunningRunner : IAsyncLifetime
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("rtgf-e2e-").FullName;
        private ChildProcess? _process;
        private QueueServiceClient? _queues;

        public EventLog Events { get; } = new();

        public Uri Http { get; private set; } = new("http://localhost/");

        public ChildProcess Process => _process ?? throw new InvalidOperationException("The runner has not started.");

        public QueueClient Queue(string name) => (_queues ?? throw new InvalidOperationException("The runner is not ready.")).GetQueueClient(name);

        public async Task InitializeAsync()
        {
            _process = StartRunner(_directory, Events);
            var ready = await WaitForAsync(e => (string?)e["event"] == "ready", "the runner to be ready");
            Http = new Uri((string)ready["http"]!);
            var storage = new AzuriteAccount(new Uri((string)ready["blob"]!), new Uri((string)ready["queue"]!), new Uri((string)ready["table"]!));
            _queues = new QueueServiceClient(storage.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        }

        public async Task DisposeAsync()
        {
            if (_process is not null)
            {
                // Ctrl-C, then let the runner stop its handler and Azurite before anything harsher.
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

    /// <summary>Starts the runner the way a user does, on the test handler's build output, with JSON events.</summary>
    internal static ChildProcess StartRunner(string directory, EventLog events)
    {
        var settings = Path.Combine(directory, "local.settings.json");
        File.WriteAllText(settings, """
            {"IsEncrypted":false,"Values":{"AzureWebJobsStorage":"UseDevelopmentStorage=true","RtgfStorage":"UseDevelopmentStorage=true","TICK_SCHEDULE":"*/2 * * * * *","WORK_QUEUE":"work","DONE_QUEUE":"done","POISON_QUEUE":"poison-input"}}
            """);
        var port = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ChildProcess.Start(new ChildProcessStartInfo("runner", "dotnet")
        {
            Arguments =
            [
                Path.Combine(BuildOutput.Directory("Rtgf.LocalRunner"), "rtgf-local.dll"),
                "--script-root", BuildOutput.Directory("Rtgf.LocalRunner.TestHandler"),
                "--settings", settings, "--port", port, "--in-memory", "--any-storage-ports", "--max-delivery-count", "3", "--output", "json",
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
}
