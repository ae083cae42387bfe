namespace Rtgf.Pipeline.Webhooks;

/// <summary>
/// Applies one provider's verified webhooks. The bus calls it at least once per event, and again on a duplicate delivery
/// or an operator's replay, in any order relative to other events: applying an event twice must change nothing.
/// A thrown exception is a failed try (the message is retried, then poisoned).
/// </summary>
public interface IWebhookHandler
{
    /// <summary>The provider this handler applies (matches <see cref="WebhookEvent.Provider"/>).</summary>
    string Provider { get; }

    Task HandleAsync(WebhookEvent webhook, CancellationToken cancellationToken);
}
