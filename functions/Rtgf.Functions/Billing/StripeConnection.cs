using System.Globalization;
using Rtgf.Ingestion.Outbound;
using Stripe;

namespace Rtgf.Functions.Billing;

/// <summary>
/// The one <see cref="StripeClient"/>, from <c>Stripe:SecretKey</c> and <c>Stripe:ApiBase</c> (absent: Stripe's own). Its
/// HTTP goes through the outbound pipeline (upstream <c>stripe</c>: timeouts, 429/5xx retries honouring Retry-After, the
/// circuit breaker, one log line per attempt), so Stripe.net's own retries are off. A POST is retried only when it carries
/// an Idempotency-Key (every POST of ours does), so a retry can never create a second customer or session.
/// Without a secret key, <see cref="Client"/> is null and <see cref="Problem"/> says which setting is missing.
/// </summary>
public sealed class StripeConnection
{
    public const string SecretKeySetting = "Stripe:SecretKey";
    public const string ApiBaseSetting = "Stripe:ApiBase";
    public const string MaxRetriesSetting = "Stripe:MaxRetries";
    public const string RetryDelaySetting = "Stripe:RetryDelayMilliseconds";

    private StripeConnection(StripeClient? client, string problem)
    {
        Client = client;
        Problem = problem;
    }

    public StripeClient? Client { get; }

    public string Problem { get; }

    public static StripeConnection FromConfiguration(IConfiguration configuration, OutboundHttpClientFactory outbound)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(outbound);
        if (configuration[SecretKeySetting] is not { Length: > 0 } secretKey)
        {
            return new StripeConnection(null, $"Billing is not configured: the setting {SecretKeySetting} is missing.");
        }

        var apiBase = configuration[ApiBaseSetting] is { Length: > 0 } configured
            ? Uri.TryCreate(configured, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
                ? uri
                : throw new InvalidOperationException($"The setting {ApiBaseSetting} must be an absolute http(s) URL (it is '{configured}').")
            : new Uri(StripeClient.DefaultApiBase);
        var delay = TimeSpan.FromMilliseconds(Number(configuration, RetryDelaySetting, 500, 0));
        var options = new OutboundOptions
        {
            Name = "stripe",
            BaseAddress = apiBase,
            AttemptTimeout = TimeSpan.FromSeconds(20),
            TotalTimeout = TimeSpan.FromSeconds(60),
            MaxRetries = (int)Number(configuration, MaxRetriesSetting, 2, 0),
            RetryBaseDelay = delay,
            RetryMaxDelay = delay * 10,
            MaxRetryAfter = delay * 10,
            MaxConcurrency = 8,
        };
#pragma warning disable CA2000 // The StripeClient keeps the HTTP client for the life of the process (a singleton).
        var http = new HttpClient(new RetrySafeWithIdempotencyKey(outbound.CreateClient(options)), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
        var client = new StripeClient(
            apiKey: secretKey,
            httpClient: new SystemNetHttpClient(http, maxNetworkRetries: 0, appInfo: null, enableTelemetry: false),
            apiBase: apiBase.ToString().TrimEnd('/'));
        return new StripeConnection(client, string.Empty);
    }

    private static long Number(IConfiguration configuration, string name, long fallback, long min) => configuration[name] switch
    {
        null or "" => fallback,
        var text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= 60_000 => value,
        var text => throw new InvalidOperationException($"The setting {name} must be a whole number from {min} to 60000 (it is '{text}')."),
    };

    /// <summary>Marks POSTs that carry an Idempotency-Key safe to retry, then sends through the outbound pipeline's client.</summary>
    private sealed class RetrySafeWithIdempotencyKey(HttpClient outbound) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // The resource, not the id (logs and metrics name operations, not customers): "POST /v1/checkout/sessions".
            var path = request.RequestUri?.AbsolutePath ?? string.Empty;
            var operation = request.Method + " " + string.Join('/', path.Split('/').TakeWhile(s => !s.Contains('_', StringComparison.Ordinal)));
            return SendCopyAsync(request, operation, cancellationToken);
        }

        // A message an HttpClient has sent cannot be sent by another: the outbound client gets a copy (same content).
        private async Task<HttpResponseMessage> SendCopyAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken)
        {
            using var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content, Version = request.Version };
            foreach (var (name, values) in request.Headers)
            {
                copy.Headers.TryAddWithoutValidation(name, values);
            }

            copy.WithOperation(operation, retrySafe: request.Headers.Contains("Idempotency-Key"));
            var response = await outbound.SendAsync(copy, cancellationToken).ConfigureAwait(false);
            copy.Content = null; // the caller's request owns it
            return response;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                outbound.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
