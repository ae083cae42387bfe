using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Teqsa;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Testing;

namespace Rtgf.Ingestion.Tests.Outbound;

/// <summary>The outbound pipeline keeps every request on its upstream's configured origin (scheme, host and port).</summary>
public sealed class UpstreamOriginTests
{
    [Fact]
    public async Task Client_AbsoluteUrlOnAnotherHost_IsRefusedLoggedAndNotSent()
    {
        await using var upstream = await LoopbackServer.StartAsync((_, _) => Task.CompletedTask);
        await using var other = await LoopbackServer.StartAsync((_, _) => Task.CompletedTask);
        using var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        using var factory = new OutboundHttpClientFactory(new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)), loggers);
        using var client = factory.CreateClient(new OutboundOptions { Name = "cricos", BaseAddress = upstream.BaseAddress, AttemptTimeout = null, TotalTimeout = null });
        var foreign = new Uri(other.BaseAddress, "download/list.zip");

        var error = await Assert.ThrowsAsync<UpstreamOriginException>(() => client.GetAsync(foreign));

        Assert.Empty(other.Received);
        Assert.Empty(upstream.Received);
        Assert.Contains(foreign.AbsoluteUri, error.Message, StringComparison.Ordinal);
        var line = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("cricos", line.Message, StringComparison.Ordinal);
        Assert.Contains(foreign.AbsoluteUri, line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeqsaRegister_NextPageOnAnotherHost_IsRefusedWithAClearError()
    {
        await using var other = await LoopbackServer.StartAsync((_, _) => Task.CompletedTask);
        await using var upstream = await LoopbackServer.StartAsync(async (c, _) =>
        {
            c.Response.ContentType = "text/html; charset=utf-8";
            await c.Response.WriteAsync(
                "<!DOCTYPE html><html><body><a href=\"/national-register/provider/sample-university\">Sample</a>"
                + $"<a rel=\"next\" href=\"{other.BaseAddress}national-register?page=1\">Next</a></body></html>");
        });
        using var connector = new Connector(upstream);

        var error = await Assert.ThrowsAsync<UpstreamOriginException>(() => new TeqsaClient(connector.Http).GetProviderLinksAsync());

        Assert.Empty(other.Received);
        Assert.Single(upstream.Received);
        Assert.Contains("next page", error.Message, StringComparison.Ordinal);
        Assert.Contains(other.BaseAddress.Authority, error.Message, StringComparison.Ordinal);
    }
}
