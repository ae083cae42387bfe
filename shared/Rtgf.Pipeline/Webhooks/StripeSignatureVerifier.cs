using System.Text;
using Stripe;

namespace Rtgf.Pipeline.Webhooks;

/// <summary>
/// Stripe's <c>Stripe-Signature</c> (<c>t=…,v1=…</c>), verified by Stripe.net's own <see cref="EventUtility"/> at the app's
/// time. An event of another API version than the client's is accepted and noted (the handler reads what it needs).
/// </summary>
public sealed class StripeSignatureVerifier : IWebhookVerifier
{
    public const string Name = "stripe";
    public const string Header = "Stripe-Signature";

    public string Provider => Name;

    public string SecretSetting => "Stripe:WebhookSecret";

    public WebhookVerification Verify(Func<string, string?> header, ReadOnlyMemory<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header(Header) is not { Length: > 0 } signature)
        {
            return WebhookVerification.Refuse($"The {Header} header is missing.");
        }

        string json;
        try
        {
            json = new UTF8Encoding(false, true).GetString(body.Span);
        }
        catch (DecoderFallbackException)
        {
            return WebhookVerification.Refuse("The body is not UTF-8.");
        }

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, signature, secret, (long)tolerance.TotalSeconds, now.ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException e)
        {
            // Stripe.net's messages name the failure (no signature match, outside the tolerance), never the secret.
            return WebhookVerification.Refuse("The Stripe signature was refused: " + e.Message);
        }
#pragma warning disable CA1031 // A signed body Stripe.net cannot read as an event is bad input, whatever the parser threw.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return WebhookVerification.Refuse("The signed body is not a Stripe event: " + e.GetType().Name + ".");
        }

        var note = string.Equals(stripeEvent.ApiVersion, StripeConfiguration.ApiVersion, StringComparison.Ordinal)
            ? null
            : $"API version {stripeEvent.ApiVersion ?? "(none)"}; the client's is {StripeConfiguration.ApiVersion}.";
        return WebhookVerification.Identified(stripeEvent.Id, stripeEvent.Type, note);
    }
}
