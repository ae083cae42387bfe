namespace Rtgf.Pipeline.Webhooks;

/// <summary>
/// Checks one provider's webhook signature (Stripe's <c>Stripe-Signature</c>, Svix's <c>svix-*</c> headers) over the raw
/// body and reads the event's identity. Nothing is accepted without a valid signature inside the tolerance.
/// </summary>
public interface IWebhookVerifier
{
    /// <summary>The provider's route name (<c>/hooks/{provider}</c>).</summary>
    string Provider { get; }

    /// <summary>The setting holding the signing secret (<c>Stripe:WebhookSecret</c>, <c>Resend:WebhookSecret</c>).</summary>
    string SecretSetting { get; }

    /// <summary>The verified identity, or a refusal whose reason names no secret and no signature.</summary>
    WebhookVerification Verify(Func<string, string?> header, ReadOnlyMemory<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance);
}

/// <summary>A verifier's answer: the event's identity, or why it was refused.</summary>
/// <param name="EventId">The provider's event id (validated by <see cref="WebhookEventIds"/>), when verified.</param>
/// <param name="EventType">The provider's event type, when verified.</param>
/// <param name="Note">Something worth recording about an accepted event (a Stripe API version other than the client's).</param>
/// <param name="Refusal">Why it was refused (safe to log and to answer), when not verified.</param>
/// <param name="Unconfigured">The refusal is ours: the configured secret is not usable (503, not the sender's 400).</param>
public sealed record WebhookVerification(string? EventId, string? EventType, string? Note, string? Refusal, bool Unconfigured = false)
{
    public bool Verified => Refusal is null;

    public static WebhookVerification Accept(string eventId, string eventType, string? note = null) => new(eventId, eventType, note, null);

    public static WebhookVerification Refuse(string reason) => new(null, null, null, reason);

    /// <summary>Nothing can be verified: the configured secret is not in the provider's form (named, never shown).</summary>
    public static WebhookVerification Misconfigured(string reason) => new(null, null, null, reason, Unconfigured: true);

    /// <summary>Accepts a signed event whose id and type are usable keys, else refuses it.</summary>
    public static WebhookVerification Identified(string? eventId, string? eventType, string? note = null) =>
        !WebhookEventIds.IsValid(eventId)
            ? Refuse("The signed body has no usable event id.")
            : string.IsNullOrWhiteSpace(eventType) || eventType.Length > WebhookEventIds.MaxLength
                ? Refuse("The signed body has no usable event type.")
                : Accept(eventId!, eventType, note);
}

/// <summary>Event ids are Table row keys and log fields: a conservative alphabet and length.</summary>
public static class WebhookEventIds
{
    public const int MaxLength = 200;

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':');
}
