using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Rtgf.Ingestion.Outbound;

/// <summary>
/// The outbound pipeline as a <see cref="DelegatingHandler"/>: correlation id, then the upstream's resilience pipeline
/// (total timeout, retry, circuit breaker, attempt timeout), and per attempt the host's rate limit and concurrency cap,
/// a buffered response, one log line and the metrics. Every request and every redirect stays on the upstream's
/// configured origin (<see cref="UpstreamOrigin"/>); redirects are followed here, never by the socket handler.
/// </summary>
internal sealed class OutboundHandler(OutboundHttpClientFactory factory, OutboundOptions options, UpstreamOrigin origin, ILogger logger, TimeProvider time) : DelegatingHandler
{
    internal static readonly ResiliencePropertyKey<CallInfo> CallKey = new("rtgf.call");

    /// <summary>Redirects followed within one attempt before the call fails.</summary>
    internal const int MaxRedirects = 5;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("An outbound request needs an absolute URI or a client BaseAddress.");
        var operation = request.Options.TryGetValue(OutboundRequest.Operation, out var named) ? named : $"{request.Method} {uri.AbsolutePath}";
        Guard(() => origin.Require(uri, $"The request URL of {operation}"), operation);
        var host = uri.Authority;
        var upstream = factory.GetUpstream(host, options);
        var correlationId = ApplyCorrelationId(request);
        var retrySafe = IsIdempotent(request.Method) || (request.Options.TryGetValue(OutboundRequest.RetrySafe, out var safe) && safe);
        request.Options.TryGetValue(OutboundRequest.PermanentFailure, out var permanent);

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, new CallInfo(retrySafe, permanent));
        try
        {
            var attempt = 0;
            var outcome = await upstream.Pipeline.ExecuteOutcomeAsync(
                async (ctx, _) =>
                {
                    attempt++;
                    try
                    {
                        return Outcome.FromResult(await SendAttemptAsync(request, uri, upstream, host, operation, correlationId, attempt, ctx.CancellationToken));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                0);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether an outcome is a transient failure: a network error, an attempt timeout or a retryable status.</summary>
    internal static bool IsTransientFailure(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException or IOException;
        }

        var response = outcome.Result!;
        if (context.Properties.TryGetValue(CallKey, out var call) && call.Permanent is { } permanent && permanent(response))
        {
            return false;
        }

        return response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
    }

    internal static bool IsRetrySafe(ResilienceContext context) => context.Properties.TryGetValue(CallKey, out var call) && call.RetrySafe;

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Put || method == HttpMethod.Delete;

    private static string ApplyCorrelationId(HttpRequestMessage request)
    {
        if (request.Headers.TryGetValues(OutboundRequest.CorrelationHeader, out var existing))
        {
            return string.Join(',', existing);
        }

        var id = request.Options.TryGetValue(OutboundRequest.CorrelationId, out var given) ? given
            : Activity.Current is { } activity ? activity.TraceId.ToHexString()
            : ActivityTraceId.CreateRandom().ToHexString();
        request.Headers.TryAddWithoutValidation(OutboundRequest.CorrelationHeader, id);
        return id;
    }

    private async Task<HttpResponseMessage> SendAttemptAsync(
        HttpRequestMessage request, Uri requested, Upstream upstream, string host, string operation, string correlationId, int attempt, CancellationToken cancellationToken)
    {
        // A redirect followed by an earlier attempt moved the request: every attempt starts at the URL asked for. After
        // the last one the request names where the answer came from, as the socket handler's redirects leave it.
        request.RequestUri = requested;
        using var slot = await upstream.Limiters.AcquireAsync(host, cancellationToken);
        var started = time.GetTimestamp();
        HttpResponseMessage? response = null;
        var status = "error";
        long bytes = 0;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
            for (var hops = 0; IsRedirect(response); hops++)
            {
                var target = RedirectTarget(request, response, operation, hops);
                response.Dispose();
                response = null;
                request.RequestUri = target;
                response = await base.SendAsync(request, cancellationToken);
            }

            // Buffering inside the attempt puts a dropped or stalled body under the attempt timeout and the retry.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            bytes = response.Content.Headers.ContentLength ?? 0;
            status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            return response;
        }
        catch (Exception ex)
        {
            response?.Dispose();
            // A cancelled attempt is an attempt timeout, the total timeout or the caller giving up.
            status = ex is OperationCanceledException ? "canceled" : ex.GetType().Name;

            throw;
        }
        finally
        {
            var elapsed = time.GetElapsedTime(started);
            var tags = new TagList
            {
                { "upstream", options.Name },
                { "host", host },
                { "operation", operation },
                { "status", status },
                { "attempt", attempt },
            };
            OutboundMetrics.Attempts.Add(1, tags);
            OutboundMetrics.Duration.Record(elapsed.TotalSeconds, tags);
            OutboundMetrics.ResponseBytes.Add(bytes, tags);
            OutboundLog.Attempt(logger, options.Name, host, operation, attempt, status, elapsed.TotalMilliseconds, bytes, correlationId);
        }
    }

    private static bool IsRedirect(HttpResponseMessage response) => (int)response.StatusCode is >= 300 and <= 399 and not 304;

    /// <summary>
    /// Where a redirect may be followed: only a body-less GET or HEAD without credentials (following anything else would
    /// resend the body or the credentials to wherever the upstream says), only on the configured origin.
    /// </summary>
    private Uri RedirectTarget(HttpRequestMessage request, HttpResponseMessage response, string operation, int hops)
    {
        var status = (int)response.StatusCode;
        if (options.Credentials is not null || request.Content is not null || (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head))
        {
            var reason = options.Credentials is not null ? "this upstream carries credentials" : "the request has a body";
            throw Refused(new UpstreamRedirectException(
                $"{options.Name} {operation} answered HTTP {status}, a redirect; it was not followed because {reason} (point the configuration at the final https URL)."), operation);
        }

        if (response.Headers.Location is not { } location)
        {
            throw Refused(new UpstreamRedirectException($"{options.Name} {operation} answered HTTP {status}, a redirect without a Location."), operation);
        }

        if (hops >= MaxRedirects)
        {
            throw Refused(new UpstreamRedirectException($"{options.Name} {operation} redirected more than {MaxRedirects} times."), operation);
        }

        return Guard(() => origin.Resolve(request.RequestUri!, location.OriginalString, $"The HTTP {status} redirect of {operation}"), operation);
    }

    private T Guard<T>(Func<T> check, string operation)
    {
        try
        {
            return check();
        }
        catch (UpstreamOriginException e)
        {
            throw Refused(e, operation);
        }
    }

    private void Guard(Action check, string operation) => Guard<bool>(() => { check(); return true; }, operation);

    /// <summary>Logs a refusal (a tampered or misconfigured upstream is an operator's concern) and returns it to throw.</summary>
    private Exception Refused(Exception refusal, string operation)
    {
        OutboundLog.Refused(logger, options.Name, operation, refusal.Message);
        return refusal;
    }

    internal sealed record CallInfo(bool RetrySafe, Func<HttpResponseMessage, bool>? Permanent);
}
