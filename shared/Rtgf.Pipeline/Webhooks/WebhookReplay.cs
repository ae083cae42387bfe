namespace Rtgf.Pipeline.Webhooks;

/// <summary>A replay: the record as it stands after it, and this replay's number (its <c>Replays</c> count when it was made).</summary>
public sealed record WebhookReplay(WebhookRecord Record, int Number);
