using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Testing;

namespace Rtgf.Ingestion.Tests.Outbound;

public sealed class OutboundHttpClientFactoryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Start);
    private readonly RecordingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly OutboundHttpClientFactory _factory;

    public OutboundHttpClientFactoryTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        _factory = new OutboundHttpClientFactory(_time, _loggerFactory);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _loggerFactory.Dispose();
    }

    [Fact]
    public async Task Get_ServerAlwaysFails_RetriesExactlyMaxRetriesThenReturnsLastAnswer()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Status(c, 500));
        using var client = _factory.CreateClient(Options(server, maxRetries: 3));

        using var response = await Wait.DriveAsync(client.GetAsync("x"), _time, TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(4, server.Count);
    }

    [Fact]
    public async Task Get_TooManyRequestsWithRetryAfterSeconds_WaitsExactlyThatLong()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) =>
        {
            if (n == 1)
            {
                c.Response.Headers.RetryAfter = "7";
                return Status(c, 429);
            }

            return Status(c, 200);
        });
        using var client = _factory.CreateClient(Options(server, maxRetries: 2));

        var call = client.GetAsync("x");
        Wait.Until(() => _time.PendingTimers == 1, "the retry delay is scheduled");
        Assert.Equal(Start.AddSeconds(7), _time.NextWaitDue);
        _time.Advance(TimeSpan.FromSeconds(6.9));
        Assert.Equal(1, _time.PendingWaits); // the delay has not fired, so no retry can have started
        Assert.Equal(1, server.Count);
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Wait.Until(() => call.IsCompleted, "the retried call finishes");
        using var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task Get_ServiceUnavailableWithRetryAfterDate_WaitsUntilThatDate()
    {
        var retryAt = Start.AddSeconds(12).ToString("R", CultureInfo.InvariantCulture);
        await using var server = await LoopbackServer.StartAsync((c, n) =>
        {
            if (n == 1)
            {
                c.Response.Headers.RetryAfter = retryAt;
                return Status(c, 503);
            }

            return Status(c, 200);
        });
        using var client = _factory.CreateClient(Options(server, maxRetries: 1));

        var call = client.GetAsync("x");
        Wait.Until(() => _time.PendingTimers == 1, "the retry delay is scheduled");
        Assert.Equal(Start.AddSeconds(12), _time.NextWaitDue);
        _time.Advance(TimeSpan.FromSeconds(11.5));
        Assert.Equal(1, _time.PendingWaits); // the delay has not fired, so no retry can have started
        Assert.Equal(1, server.Count);
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Wait.Until(() => call.IsCompleted, "the retried call finishes");

        using var response = await call;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task Post_NotMarkedRetrySafe_IsSentOnce()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Status(c, 503));
        using var client = _factory.CreateClient(Options(server, maxRetries: 3));

        using var response = await Wait.DriveAsync(client.PostAsync("x", new StringContent("body")), _time, TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task Post_MarkedRetrySafe_IsRetriedWithTheSameBody()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) => Status(c, n < 3 ? 502 : 200));
        using var client = _factory.CreateClient(Options(server, maxRetries: 3));
        using var request = new HttpRequestMessage(HttpMethod.Post, "soap") { Content = new StringContent("<read/>") }.WithOperation("Read", retrySafe: true);

        using var response = await Wait.DriveAsync(client.SendAsync(request), _time, TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, server.Count);
        Assert.All(server.Received, r => Assert.Equal("<read/>", r.BodyText));
    }

    [Fact]
    public async Task Get_PermanentFailurePredicateMatches_IsNotRetried()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Status(c, 500));
        using var client = _factory.CreateClient(Options(server, maxRetries: 3));
        using var request = new HttpRequestMessage(HttpMethod.Get, "x");
        request.Options.Set(OutboundRequest.PermanentFailure, r => r.StatusCode == HttpStatusCode.InternalServerError);

        using var response = await Wait.DriveAsync(client.SendAsync(request), _time, TimeSpan.FromMinutes(1));

        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task Get_ConnectionDropped_IsRetried()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) =>
        {
            if (n == 1)
            {
                c.Abort();
                return Task.CompletedTask;
            }

            return Status(c, 200);
        });
        using var client = _factory.CreateClient(Options(server, maxRetries: 2));

        using var response = await Wait.DriveAsync(client.GetAsync("x"), _time, TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task Get_SlowFirstAnswer_AttemptTimesOutAndRetries()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) => n == 1 ? LoopbackServer.Hang(c) : Status(c, 200));
        var options = Options(server, maxRetries: 1);
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
        using var client = _factory.CreateClient(options);

        var call = client.GetAsync("x");
        Wait.Until(() => server.Count == 1 && _time.PendingTimers == 1, "the first attempt is in flight");
        _time.Advance(TimeSpan.FromSeconds(5));
        Wait.Until(() => _time.PendingWaits == 1 && server.Count == 1, "the retry delay is scheduled");

        // Fire the retry delay and nothing after it: the second attempt's own 5 s timeout starts once the delay has fired,
        // so it is not due yet however long the second request takes in real time.
        _time.AdvanceTo(_time.NextWaitDue!.Value);

        Wait.Until(() => call.IsCompleted, "the second attempt finishes");
        using var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task Get_SlowAnswersBeyondTotalTimeout_ThrowsTimeoutRejected()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => LoopbackServer.Hang(c));
        var options = Options(server, maxRetries: 5);
        options.TotalTimeout = TimeSpan.FromSeconds(10);
        using var client = _factory.CreateClient(options);

        var call = client.GetAsync("x");
        Wait.Until(() => server.Count == 1, "the request arrives");
        _time.Advance(TimeSpan.FromSeconds(10));

        Wait.Until(() => call.IsCompleted, "the call gives up");

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => call);
    }

    [Fact]
    public async Task Get_ConsecutiveFailures_OpenThenHalfOpenTheCircuit()
    {
        var healthy = false;
        await using var server = await LoopbackServer.StartAsync((c, _) => Status(c, Volatile.Read(ref healthy) ? 200 : 500));
        var options = Options(server, maxRetries: 0);
        options.BreakerFailureThreshold = 3;
        options.BreakerBreakDuration = TimeSpan.FromSeconds(30);
        using var client = _factory.CreateClient(options);

        for (var i = 0; i < 3; i++)
        {
            using var failed = await client.GetAsync("x");
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync("x"));
        Assert.Equal(3, server.Count);

        Volatile.Write(ref healthy, true);
        _time.Advance(TimeSpan.FromSeconds(30));
        using var probe = await client.GetAsync("x");
        using var after = await client.GetAsync("x");

        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(5, server.Count);
    }

    [Fact]
    public async Task Get_RateLimitExhausted_QueuesThenRejectsBeyondTheQueue()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Status(c, 200));
        var options = Options(server, maxRetries: 0);
        options.RateLimitPermits = 1;
        options.RateLimitPeriod = TimeSpan.FromSeconds(1);
        options.RateLimitQueue = 1;
        using var client = _factory.CreateClient(options);

        using var first = await client.GetAsync("1");
        var queued = client.GetAsync("2");
        Thread.Sleep(50);
        Assert.False(queued.IsCompleted);
        await Assert.ThrowsAsync<OutboundRateLimitedException>(() => client.GetAsync("3"));
        Assert.Equal(1, server.Count);

        _time.Advance(TimeSpan.FromSeconds(1));
        Wait.Until(() => queued.IsCompleted, "the queued request is sent");
        using var second = await queued;

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task Get_ConcurrencyCapOne_NeverHasTwoRequestsInFlight()
    {
        var release = new TaskCompletionSource();
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                await release.Task;
            }

            await Status(c, 200);
        });
        var options = Options(server, maxRetries: 0);
        options.MaxConcurrency = 1;
        using var client = _factory.CreateClient(options);

        var first = client.GetAsync("1");
        Wait.Until(() => server.Count == 1, "the first request arrives");
        var second = client.GetAsync("2");
        Thread.Sleep(100);
        Assert.Equal(1, server.Count);
        release.SetResult();
        using var a = await first;
        using var b = await second;

        Assert.Equal(2, server.Count);
        Assert.Equal(1, server.MaxInFlight);
    }

    [Fact]
    public async Task Send_CurrentActivity_SendsItsTraceIdAsCorrelationId()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => Status(c, 200));
        using var client = _factory.CreateClient(Options(server, maxRetries: 0));
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();

        using var response = await client.GetAsync("x");

        Assert.Equal(activity.TraceId.ToHexString(), server.Received.Single().Headers["x-correlation-id"]);
    }

    [Fact]
    public async Task Send_GivenCorrelationId_SendsItOnEveryAttempt()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) => Status(c, n == 1 ? 503 : 200));
        using var client = _factory.CreateClient(Options(server, maxRetries: 1));
        using var request = new HttpRequestMessage(HttpMethod.Get, "x");
        request.Options.Set(OutboundRequest.CorrelationId, "run-42");

        using var response = await Wait.DriveAsync(client.SendAsync(request), _time, TimeSpan.FromMinutes(1));

        Assert.Equal(["run-42", "run-42"], server.Received.Select(r => r.Headers["x-correlation-id"]));
    }

    [Fact]
    public async Task Send_Retried_RecordsOneMeasurementAndOneLogLinePerAttempt()
    {
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            c.Response.StatusCode = n == 1 ? 503 : 200;
            await c.Response.WriteAsync("hello");
        });
        var options = Options(server, maxRetries: 1);
        options.Name = "metrics-" + server.BaseAddress.Port.ToString(CultureInfo.InvariantCulture);
        options.Credentials = new UpstreamCredentials { UserName = "reader", Password = "s3cret-Pa55" };
        var attempts = new List<(long Value, Dictionary<string, object?> Tags)>();
        var bytes = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Rtgf.Outbound")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            if (!Equals(map["upstream"], options.Name))
            {
                return;
            }

            lock (attempts)
            {
                if (instrument.Name == "rtgf.outbound.attempts")
                {
                    attempts.Add((value, map));
                }
                else if (instrument.Name == "rtgf.outbound.response.bytes")
                {
                    bytes.Add(value);
                }
            }
        });
        listener.Start();
        using var client = _factory.CreateClient(options);
        using var request = new HttpRequestMessage(HttpMethod.Get, "x").WithOperation("GetThing");

        using var response = await Wait.DriveAsync(client.SendAsync(request), _time, TimeSpan.FromMinutes(1));

        Assert.Equal(["503", "200"], attempts.Select(a => (string)a.Tags["status"]!));
        Assert.Equal([1, 2], attempts.Select(a => (int)a.Tags["attempt"]!));
        Assert.All(attempts, a => Assert.Equal("GetThing", a.Tags["operation"]));
        Assert.All(attempts, a => Assert.Equal(server.BaseAddress.Authority, a.Tags["host"]));
        Assert.Equal([5L, 5L], bytes);
        var lines = _logs.Entries.Where(e => e.Message.Contains(options.Name, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("GetThing", lines[0].State["Operation"]);
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains("s3cret-Pa55", StringComparison.Ordinal) || e.State.Values.Any(v => $"{v}".Contains("s3cret-Pa55", StringComparison.Ordinal)));
    }

    [Fact]
    public void Credentials_ToString_RedactsThePassword()
    {
        var credentials = new UpstreamCredentials { UserName = "reader", Password = "s3cret-Pa55" };

        Assert.DoesNotContain("s3cret-Pa55", credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_BoundFromConfiguration_CarryBaseAddressCredentialsAndLimits()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Upstreams:Tga:Name"] = "tga-soap",
            ["Upstreams:Tga:BaseAddress"] = "https://ws.sandbox.training.gov.au/Deewr.Tga.Webservices/",
            ["Upstreams:Tga:Credentials:UserName"] = "WebService.Read",
            ["Upstreams:Tga:Credentials:Password"] = "from-key-vault",
            ["Upstreams:Tga:MaxRetries"] = "4",
            ["Upstreams:Tga:AttemptTimeout"] = "00:00:20",
            ["Upstreams:Tga:RateLimitPermits"] = "2",
            ["Upstreams:Tga:MaxConcurrency"] = "2",
        }).Build();

        var options = configuration.GetSection("Upstreams:Tga").Get<OutboundOptions>()!;

        Assert.Equal("tga-soap", options.Name);
        Assert.Equal(new Uri("https://ws.sandbox.training.gov.au/Deewr.Tga.Webservices/"), options.BaseAddress);
        Assert.Equal("from-key-vault", options.Credentials!.Password);
        Assert.Equal(4, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(20), options.AttemptTimeout);
        Assert.Equal(2, options.RateLimitPermits);
    }

    /// <summary>A redirect followed in one attempt does not move where the next attempt starts.</summary>
    [Fact]
    public async Task Get_RedirectTargetFailsTransiently_RetryStartsAgainAtTheRequestedUrl()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) =>
        {
            if (c.Request.Path == "/start")
            {
                c.Response.Headers.Location = "/moved";
                return Status(c, 302);
            }

            return Status(c, n == 2 ? 503 : 200);
        });
        using var client = _factory.CreateClient(Options(server, maxRetries: 1));

        using var response = await Wait.DriveAsync(client.GetAsync("start"), _time, TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["/start", "/moved", "/start", "/moved"], server.Received.Select(r => r.PathAndQuery));
    }

    private static OutboundOptions Options(LoopbackServer server, int maxRetries) => new()
    {
        Name = "test",
        BaseAddress = server.BaseAddress,
        MaxRetries = maxRetries,
        AttemptTimeout = null,
        TotalTimeout = null,
        MaxConcurrency = null,
        BreakerFailureThreshold = 0,
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        JitterSource = () => 0.5,
    };

    private static Task Status(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
