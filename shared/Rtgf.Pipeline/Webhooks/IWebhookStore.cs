namespace Rtgf.Pipeline.Webhooks;

/// <summary>The <c>webhooks</c> table: one record per (provider, event id), written once, changed by compare-and-swap.</summary>
public interface IWebhookStore
{
    /// <summary>Adds the record unless one with its key exists: the new record's ETag, or null when it existed.</summary>
    Task<string?> TryAddAsync(WebhookRecord record, CancellationToken cancellationToken);

    Task<StoredWebhook?> GetAsync(string provider, string eventId, CancellationToken cancellationToken);

    /// <summary>Replaces the record if it is still at <paramref name="etag"/> (false when it changed or is gone).</summary>
    Task<bool> TryReplaceAsync(WebhookRecord record, string etag, CancellationToken cancellationToken);

    /// <summary>Records in (provider, event id) order, optionally of one provider and one state.</summary>
    Task<WebhookPage> ListAsync(string? provider, string? state, int limit, string? continuation, CancellationToken cancellationToken);

    /// <summary>Every record in <paramref name="state"/> received before <paramref name="before"/> (the sweep's candidates).</summary>
    Task<IReadOnlyList<WebhookRecord>> ListStuckAsync(string state, DateTimeOffset before, int max, CancellationToken cancellationToken);
}

/// <summary>Raw bodies, content-addressed and immutable (<c>sha256/&lt;hex&gt;</c>), kept.</summary>
public interface IWebhookBodyStore
{
    /// <summary>Stores the body under its digest unless it is there already (the same digest is the same bytes).</summary>
    Task PutAsync(string digest, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>The body, or null when no body has that digest.</summary>
    Task<byte[]?> GetAsync(string digest, CancellationToken cancellationToken);
}
