using Polly.CircuitBreaker;
using Rtgf.Ingestion;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Functions.Comms;

/// <summary>What an exception from the outbound pipeline says about whether a request reached the provider.</summary>
internal static class SendFailures
{
    /// <summary>
    /// <see cref="CommsFailure.Retry"/> when the request certainly never left (the circuit is open, the host's rate limit
    /// refused it, no connection could be made, a redirect was refused), else <see cref="CommsFailure.Ambiguous"/> (a
    /// timeout or a connection lost after sending: the provider may have accepted it).
    /// </summary>
    public static CommsFailure Classify(Exception exception) => exception switch
    {
        BrokenCircuitException or OutboundRateLimitedException or UpstreamRedirectException or UpstreamOriginException => CommsFailure.Retry,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } => CommsFailure.Retry,
        _ => CommsFailure.Ambiguous,
    };
}
