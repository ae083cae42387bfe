using Rtgf.Testing;
using Stripe;

namespace Rtgf.StripeStandIn.Tests;

/// <summary>The real Stripe.net client pointed at a stand-in.</summary>
internal static class Stand
{
    /// <summary>Stripe.net as an app would build it, with <paramref name="retries"/> automatic retries.</summary>
    public static StripeClient Client(StripeStandInFixture stand, int retries = 0, string? secretKey = null)
    {
#pragma warning disable CA2000 // the StripeClient owns its HTTP client for the test's lifetime
        var http = new SystemNetHttpClient(new HttpClient(), retries);
#pragma warning restore CA2000
        return new StripeClient(secretKey ?? stand.SecretKey, httpClient: http, apiBase: stand.ApiBase);
    }

    public static Stripe.Checkout.SessionCreateOptions Checkout(string price = "price_standard_monthly", string? customer = null, string? email = "buyer@example.edu.au") => new()
    {
        Mode = "subscription",
        Customer = customer,
        CustomerEmail = customer is null ? email : null,
        ClientReferenceId = "acct_42",
        SuccessUrl = "https://rtgf.example/billing/success?session={CHECKOUT_SESSION_ID}",
        CancelUrl = "https://rtgf.example/billing/cancel",
        LineItems = [new() { Price = price, Quantity = 1 }],
        Metadata = new Dictionary<string, string> { ["account"] = "acct_42" },
        SubscriptionData = new() { Metadata = new Dictionary<string, string> { ["plan"] = "standard", ["account"] = "acct_42" } },
    };
}
