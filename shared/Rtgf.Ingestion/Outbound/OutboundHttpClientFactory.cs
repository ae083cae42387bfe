using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Rtgf.Ingestion.Outbound;

/// <summary>
/// Hands connectors an <see cref="HttpClient"/> whose every call goes through the outbound pipeline.
/// One instance per process: it owns the per-host limiters and circuit breakers, created from the first options seen for a host.
/// </summary>
public sealed class OutboundHttpClientFactory(TimeProvider time, ILoggerFactory loggers) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Upstream>> _upstreams = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILogger _logger = loggers.CreateLogger("Rtgf.Outbound");

    /// <summary>A client for one upstream. <paramref name="primaryHandler"/> replaces the socket handler (tests, proxies).</summary>
    public HttpClient CreateClient(OutboundOptions options, HttpMessageHandler? primaryHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
#pragma warning disable CA2000 // The client owns the handler chain (disposeHandler: true).
        var handler = new OutboundHandler(this, options, _logger, time)
        {
            InnerHandler = primaryHandler ?? new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
            },
        };

        // The pipeline owns every timeout, so HttpClient's own must never fire first.
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = options.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
    }

    public void Dispose()
    {
        foreach (var upstream in _upstreams.Values)
        {
            if (upstream.IsValueCreated)
            {
                upstream.Value.Dispose();
            }
        }
    }

    internal Upstream GetUpstream(string host, OutboundOptions options) =>
        _upstreams.GetOrAdd(host, _ => new Lazy<Upstream>(() => new Upstream(options, time))).Value;
}
