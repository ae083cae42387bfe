namespace Rtgf.StripeStandIn;

/// <summary>Ways the stand-in misbehaves on request, as Stripe does on a bad day.</summary>
public enum StripeFaultMode
{
    /// <summary>429 <c>rate_limit</c> with <c>Stripe-Should-Retry: true</c>.</summary>
    RateLimit,

    /// <summary>500 <c>api_error</c>.</summary>
    ServerError,

    /// <summary>402 <c>card_error</c> <c>card_declined</c>.</summary>
    CardDeclined,

    /// <summary>No answer until the client gives up (or the stand-in stops): a timeout.</summary>
    Hang,

    /// <summary>409 <c>idempotency_error</c>: another request with the same idempotency key is still in progress.</summary>
    InProgress,
}

/// <summary>Misbehave on the next <see cref="Count"/> API requests whose path starts with <see cref="PathPrefix"/> (null: until cleared).</summary>
public sealed record StripeFault(string PathPrefix, StripeFaultMode Mode, int? Count = 1);
