namespace Rtgf.StripeStandIn;

/// <summary>How a <see cref="StripeStandInServer"/> behaves.</summary>
public sealed record StripeStandInOptions
{
    /// <summary>The Stripe API version Stripe.net 53.1.0 pins (<c>StripeConfiguration.ApiVersion</c>); events carry it.</summary>
    public const string StripeNetApiVersion = "2026-10-28.endive";

    /// <summary>Timestamps objects and events, signs deliveries, paces webhook retries. Defaults to the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = StandInClock.Instance;

    /// <summary>The only API key accepted (Bearer or basic). A test value, never a real key.</summary>
    public string SecretKey { get; init; } = "sk_test_rtgf_stand_in";

    /// <summary>The endpoint secret events are signed with (<c>Stripe-Signature</c>).</summary>
    public string WebhookSecret { get; init; } = "whsec_rtgf_stand_in";

    /// <summary>The <c>api_version</c> events are rendered as.</summary>
    public string ApiVersion { get; init; } = StripeNetApiVersion;

    /// <summary>The prices checkout sessions may sell.</summary>
    public IReadOnlyList<StandInPrice> Prices { get; init; } =
    [
        new("price_standard_monthly", "standard", 4_900),
        new("price_enterprise_monthly", "enterprise", 49_900),
    ];

    /// <summary>
    /// Put after each id prefix (<c>evt_{IdNamespace}0000000001</c>): ids come from counters, so a process that keeps
    /// its storage across runs (the local runner) gives each run its own namespace to keep event ids unique.
    /// </summary>
    public string IdNamespace { get; init; } = "";

    /// <summary>When set, every new event is POSTed here, in order, signed, as Stripe delivers to a webhook endpoint.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>Tries per event delivery (a non-2xx answer or a failed connection is retried).</summary>
    public int WebhookAttempts { get; init; } = 4;

    /// <summary>The wait between delivery tries, on <see cref="TimeProvider"/>.</summary>
    public TimeSpan WebhookRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The port on 127.0.0.1; 0 lets the OS choose.</summary>
    public int Port { get; init; }
}
