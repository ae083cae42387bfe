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

    /// <summary>
    /// A client for one upstream; its <see cref="OutboundOptions.BaseAddress"/> is required, and every request must stay
    /// on that origin. <paramref name="primaryHandler"/> replaces the socket handler (tests, proxies, raw capture); the
    /// chain passes to the client, and its socket handler's automatic redirects are turned off (the pipeline follows
    /// redirects itself, through the origin guard). <paramref name="translation"/>, when given, goes outermost: it turns a request
    /// in another contract into the upstream's (<see cref="JsaProxyTranslation"/>), so the pipeline, logs and captures see the real one.
    /// </summary>
    public HttpClient CreateClient(OutboundOptions options, HttpMessageHandler? primaryHandler = null, DelegatingHandler? translation = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var baseAddress = options.BaseAddress ?? throw new ArgumentException($"Upstream '{options.Name}' has no BaseAddress: it defines the only origin its requests may go to.", nameof(options));
#pragma warning disable CA2000 // The client owns the handler chain (disposeHandler: true).
        var handler = new OutboundHandler(this, options, new UpstreamOrigin(baseAddress), _logger, time)
        {
            InnerHandler = WithoutAutomaticRedirects(primaryHandler ?? new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
            }),
        };

        HttpMessageHandler outermost = handler;
        if (translation is not null)
        {
            translation.InnerHandler = handler;
            outermost = translation;
        }

        // The pipeline owns every timeout, so HttpClient's own must never fire first.
        return new HttpClient(outermost, disposeHandler: true) { BaseAddress = options.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
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

    /// <summary>Turns off the innermost handler's own redirects: it would follow them to any host and resend the body.</summary>
    private static HttpMessageHandler WithoutAutomaticRedirects(HttpMessageHandler handler)
    {
        var inner = handler;
        while (inner is DelegatingHandler { InnerHandler: { } next })
        {
            inner = next;
        }

        switch (inner)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }

        return handler;
    }

    internal Upstream GetUpstream(string host, OutboundOptions options) =>
        _upstreams.GetOrAdd(host, _ => new Lazy<Upstream>(() => new Upstream(options, time))).Value;
}
