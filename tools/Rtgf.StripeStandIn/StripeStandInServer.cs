using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Rtgf.StripeStandIn;

/// <summary>
/// An in-process stand-in for the Stripe API on http://127.0.0.1 (OS-chosen port unless set): the few endpoints RTGF
/// uses, in Stripe's wire format, so <c>new StripeClient(secretKey, apiBase: server.BaseAddress…)</c> works unchanged;
/// a scenario admin API under <c>/_standin/</c>; signed events, delivered to <see cref="StripeStandInOptions.WebhookUrl"/>
/// when set. See docs/spec/stripe-stand-in.md.
/// </summary>
public sealed class StripeStandInServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WebhookSender? _sender;

    private StripeStandInServer(WebApplication app, WebhookSender? sender, Uri baseAddress, StripeStandInOptions options)
    {
        _app = app;
        _sender = sender;
        BaseAddress = baseAddress;
        Options = options;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c>: Stripe.net's <c>apiBase</c> (without the trailing slash) and the admin API's base.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The options it runs with (secret key, webhook secret, prices).</summary>
    public StripeStandInOptions Options { get; }

    /// <summary>Tries at delivering events to the webhook URL, in order (empty when none is configured).</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries => _sender?.Deliveries ?? [];

    public static async Task<StripeStandInServer> StartAsync(StripeStandInOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new StripeStandInOptions();
        if (options.WebhookAttempts < 1)
        {
            throw new ArgumentException("WebhookAttempts is at least 1.", nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        var faults = new FaultBoard();
        var holds = new HoldBoard();
        var requests = new RequestLog();
        StripeApi? api = null;
        app.Run(context =>
        {
            if (api is null)
            {
                context.Response.StatusCode = 503; // the port is known only once listening
                return Task.CompletedTask;
            }

            return api.HandleAsync(context);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var baseAddress = new Uri($"http://127.0.0.1:{new Uri(app.Urls.Single()).Port}/");
        var world = new StripeWorld(options, baseAddress);
        var sender = options.WebhookUrl is { } url ? new WebhookSender(options, world, url) : null;
        api = new StripeApi(options, world, faults, holds, requests, () => sender?.Deliveries ?? [], app.Lifetime.ApplicationStopping);
        app.Lifetime.ApplicationStopping.Register(holds.ReleaseAll); // stopping never waits on a held request
        return new StripeStandInServer(app, sender, baseAddress, options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sender is not null)
        {
            await _sender.DisposeAsync().ConfigureAwait(false);
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
