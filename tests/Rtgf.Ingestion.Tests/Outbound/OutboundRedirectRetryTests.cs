using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Testing;

namespace Rtgf.Ingestion.Tests.Outbound;

/// <summary>A redirect followed in one attempt does not move where the next attempt starts.</summary>
public sealed class OutboundRedirectRetryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Start);
    private readonly ILoggerFactory _loggerFactory;
    private readonly OutboundHttpClientFactory _factory;

    public OutboundRedirectRetryTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace));
        _factory = new OutboundHttpClientFactory(_time, _loggerFactory);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _loggerFactory.Dispose();
    }

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
