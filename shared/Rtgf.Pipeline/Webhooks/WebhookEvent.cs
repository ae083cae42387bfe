namespace Rtgf.Pipeline.Webhooks;

/// <summary>A provider webhook the bus accepted: its verified identity and the raw body exactly as received.</summary>
/// <param name="Provider">The provider's route name (<c>stripe</c>, <c>resend</c>, …).</param>
/// <param name="EventId">The provider's event id (Stripe <c>evt_…</c>, Svix <c>msg_…</c>).</param>
/// <param name="EventType">The provider's event type (<c>invoice.paid</c>, <c>email.bounced</c>, …).</param>
/// <param name="ReceivedAt">When the bus first accepted it.</param>
/// <param name="BodyDigest">SHA-256 of the body, lowercase hex: the raw body's blob name.</param>
/// <param name="Body">The raw body.</param>
public sealed record WebhookEvent(string Provider, string EventId, string EventType, DateTimeOffset ReceivedAt, string BodyDigest, ReadOnlyMemory<byte> Body);
