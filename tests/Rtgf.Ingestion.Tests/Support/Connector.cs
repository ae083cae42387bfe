using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Ingestion.Outbound;
using Rtgf.Testing;

namespace Rtgf.Ingestion.Tests.Support;

/// <summary>An outbound client for a loopback server, with retries on and timeouts off (the manual clock drives delays).</summary>
internal sealed class Connector : IDisposable
{
    private readonly OutboundHttpClientFactory _factory;

    /// <param name="server">The server the client calls.</param>
    /// <param name="basePath">A path under the server's root for the base address (e.g. <c>teqsa/</c>).</param>
    public Connector(LoopbackServer server, string basePath = "")
    {
        _factory = new OutboundHttpClientFactory(Time, NullLoggerFactory.Instance);
        Http = _factory.CreateClient(new OutboundOptions
        {
            Name = "connector-test",
            BaseAddress = new Uri(server.BaseAddress, basePath),
            AttemptTimeout = null,
            TotalTimeout = null,
            MaxRetries = 2,
        });
    }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    public HttpClient Http { get; }

    public void Dispose()
    {
        Http.Dispose();
        _factory.Dispose();
    }
}
