using System.Net.Http.Headers;
using System.Text;

namespace Rtgf.StripeStandIn;

/// <summary>
/// Delivers every event to the configured webhook URL, in order, one at a time, signed at each try; a non-2xx answer or
/// a failed connection is retried after <see cref="StripeStandInOptions.WebhookRetryDelay"/>, up to
/// <see cref="StripeStandInOptions.WebhookAttempts"/> tries, then the event is given up (as Stripe eventually does).
/// </summary>
internal sealed class WebhookSender : IAsyncDisposable
{
    private readonly StripeStandInOptions _options;
    private readonly StripeWorld _world;
    private readonly Uri _url;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly object _gate = new();
    private readonly List<WebhookDelivery> _deliveries = [];

    public WebhookSender(StripeStandInOptions options, StripeWorld world, Uri url)
    {
        _options = options;
        _world = world;
        _url = url;
        world.EventsAdded += () => _signal.Release();
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public IReadOnlyList<WebhookDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _deliveries];
            }
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        string? last = null;
        try
        {
            while (true)
            {
                await _signal.WaitAsync(stop).ConfigureAwait(false);
                foreach (var stored in _world.Events(last))
                {
                    await DeliverAsync(stored, stop).ConfigureAwait(false);
                    last = stored.Id;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(StandInEvent stored, CancellationToken stop)
    {
        for (var attempt = 1; attempt <= _options.WebhookAttempts; attempt++)
        {
            int? status = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _url)
                {
                    Content = new StringContent(stored.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }),
                };
                request.Headers.TryAddWithoutValidation("Stripe-Signature", WebhookSignature.Sign(stored.Body, _options.WebhookSecret, _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds()));
                request.Headers.UserAgent.ParseAdd("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
                using var response = await _http.SendAsync(request, stop).ConfigureAwait(false);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // no answer: retried like a non-2xx
            }
            catch (TaskCanceledException) when (!stop.IsCancellationRequested)
            {
                // timed out: retried
            }

            var delivered = status is >= 200 and < 300;
            lock (_gate)
            {
                _deliveries.Add(new WebhookDelivery(stored.Id, attempt, status, delivered));
            }

            if (delivered)
            {
                return;
            }

            if (attempt < _options.WebhookAttempts && _options.WebhookRetryDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.WebhookRetryDelay, _options.TimeProvider, stop).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _signal.Dispose();
        _http.Dispose();
    }
}

/// <summary>One try at delivering an event to the webhook URL.</summary>
/// <param name="EventId">The event.</param>
/// <param name="Attempt">1 for the first try.</param>
/// <param name="Status">The HTTP status answered, or null when nothing answered.</param>
/// <param name="Delivered">A 2xx answer.</param>
public sealed record WebhookDelivery(string EventId, int Attempt, int? Status, bool Delivered);
