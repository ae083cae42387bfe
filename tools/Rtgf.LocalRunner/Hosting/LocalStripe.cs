using System.Globalization;
using Rtgf.StripeStandIn;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// The offline Stripe of a local run: the Stripe stand-in in process on 127.0.0.1, delivering its events to the
/// runner's own <c>/hooks/stripe</c>, and the app settings that point Stripe.net at it (docs/spec/stripe-stand-in.md).
/// </summary>
internal static class LocalStripe
{
    /// <summary>Made-up test values, the same every run (never real keys: the stand-in is the only thing that accepts them).</summary>
    public const string SecretKey = "sk_test_rtgf_local_stand_in";

    public const string WebhookSecret = "whsec_rtgf_local_stand_in";

    /// <summary>
    /// Starts the stand-in. Its ids carry the run's start time (hex unix seconds), so event ids stay unique across runs
    /// that keep their storage: the webhook bus records each <c>(stripe, event id)</c> once.
    /// </summary>
    public static Task<StripeStandInServer> StartAsync(Uri hooks, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        StripeStandInServer.StartAsync(
            new StripeStandInOptions
            {
                TimeProvider = timeProvider,
                SecretKey = SecretKey,
                WebhookSecret = WebhookSecret,
                WebhookUrl = hooks,
                IdNamespace = timeProvider.GetUtcNow().ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture),
            },
            cancellationToken);

    /// <summary>Where the stand-in delivers: the runner's <c>{routePrefix}/hooks/stripe</c>.</summary>
    public static Uri Hooks(int port, string routePrefix) =>
        new(string.Create(CultureInfo.InvariantCulture, $"http://localhost:{port}/{(string.IsNullOrEmpty(routePrefix) ? "" : routePrefix.Trim('/') + "/")}hooks/stripe"));

    /// <summary>The Stripe settings (environment form, <c>__</c> for <c>:</c>) that point the app at a stand-in.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(StripeStandInServer stripe) =>
    [
        new("Stripe__ApiBase", stripe.BaseAddress.AbsoluteUri.TrimEnd('/')),
        new("Stripe__SecretKey", stripe.Options.SecretKey),
        new("Stripe__WebhookSecret", stripe.Options.WebhookSecret),
    ];
}
