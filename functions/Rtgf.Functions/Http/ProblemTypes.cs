namespace Rtgf.Functions.Http;

/// <summary>Stable RFC 9457 <c>type</c> URIs for the app's problems (listed in docs/spec/api.md).</summary>
internal static class ProblemTypes
{
    /// <summary>500: a function failed; its log lines (same invocation id) carry the cause.</summary>
    public const string InvocationFailed = "urn:rtgf:problem:invocation-failed";

    /// <summary>503: the invocation was cancelled (the host or the client gave up).</summary>
    public const string InvocationCancelled = "urn:rtgf:problem:invocation-cancelled";

    /// <summary>400: a query parameter, route value or body member is missing or malformed.</summary>
    public const string InvalidRequest = "urn:rtgf:problem:invalid-request";

    /// <summary>400: the request body is not valid JSON of the expected shape.</summary>
    public const string InvalidJson = "urn:rtgf:problem:invalid-json";

    /// <summary>415: the body is not <c>application/json</c>.</summary>
    public const string UnsupportedMediaType = "urn:rtgf:problem:unsupported-media-type";

    /// <summary>413: the body is larger than the route accepts.</summary>
    public const string PayloadTooLarge = "urn:rtgf:problem:payload-too-large";

    /// <summary>413: a batch holds more items than the route accepts.</summary>
    public const string BatchTooLarge = "urn:rtgf:problem:batch-too-large";

    /// <summary>404: the token, family, status list, tile or log entry does not exist (yet).</summary>
    public const string NotFound = "urn:rtgf:problem:not-found";

    /// <summary>400: an index or tree size lies outside the published log.</summary>
    public const string OutOfRange = "urn:rtgf:problem:out-of-range";

    /// <summary>409: publication is frozen; the action was refused.</summary>
    public const string PublicationFrozen = "urn:rtgf:problem:publication-frozen";

    /// <summary>409: the freeze was to be cleared, but publication is not frozen.</summary>
    public const string NotFrozen = "urn:rtgf:problem:not-frozen";

    /// <summary>503: the log has no checkpoint or the key set is empty yet.</summary>
    public const string NotReady = "urn:rtgf:problem:not-ready";

    /// <summary>410: a register cursor names a generation (build) no instance can rebuild any more; start the listing again.</summary>
    public const string CursorExpired = "urn:rtgf:problem:cursor-expired";

    /// <summary>401: no API key where one is required, or a key that is malformed, unknown, revoked or expired.</summary>
    public const string Unauthorized = "urn:rtgf:problem:unauthorized";

    /// <summary>403: the API key lacks the scope the area requires.</summary>
    public const string InsufficientScope = "urn:rtgf:problem:insufficient-scope";

    /// <summary>429: the key's (or the address's) per-minute rate is used up; Retry-After says when to try again.</summary>
    public const string RateLimited = "urn:rtgf:problem:rate-limited";

    /// <summary>429: the key's monthly quota is used up; it resets at the start of the next UTC month.</summary>
    public const string QuotaExhausted = "urn:rtgf:problem:quota-exhausted";

    /// <summary>403: the client address is on the abuse list until Retry-After.</summary>
    public const string AddressBlocked = "urn:rtgf:problem:address-blocked";

    /// <summary>503: API keys cannot be checked or created: the hash key setting is missing or unusable.</summary>
    public const string AccessNotConfigured = "urn:rtgf:problem:access-not-configured";

    /// <summary>409: the API key is revoked; it cannot be rotated.</summary>
    public const string KeyRevoked = "urn:rtgf:problem:key-revoked";

    /// <summary>409: the API key has expired; it cannot be rotated (a new secret would not work either).</summary>
    public const string KeyExpired = "urn:rtgf:problem:key-expired";

    /// <summary>400: a webhook whose signature is missing, forged, stale (outside the tolerance) or over another body.</summary>
    public const string WebhookSignatureInvalid = "urn:rtgf:problem:webhook-signature-invalid";

    /// <summary>503: the provider's webhook signing secret is not configured; the setting is named.</summary>
    public const string WebhookNotConfigured = "urn:rtgf:problem:webhook-not-configured";

    /// <summary>503: billing cannot start a checkout: a Stripe or billing setting is missing.</summary>
    public const string BillingNotConfigured = "urn:rtgf:problem:billing-not-configured";

    /// <summary>503: Stripe is not answering (429, 5xx, timeouts) after the retries; Retry-After says when to try again.</summary>
    public const string BillingUnavailable = "urn:rtgf:problem:billing-unavailable";

    /// <summary>502: Stripe refused the checkout we asked for (our configuration, not the client's request).</summary>
    public const string BillingFailed = "urn:rtgf:problem:billing-failed";

    /// <summary>409: a checkout for an API key whose subscription is live (plan changes go through Stripe).</summary>
    public const string SubscriptionExists = "urn:rtgf:problem:subscription-exists";

    /// <summary>409: an Idempotency-Key reused with another request (Stripe's idempotency_error).</summary>
    public const string IdempotencyKeyReused = "urn:rtgf:problem:idempotency-key-reused";

    /// <summary>400: a waitlist link that is not one we signed for this address (malformed, tampered, another address's).</summary>
    public const string LinkInvalid = "urn:rtgf:problem:link-invalid";

    /// <summary>410: a waitlist confirm link past its 15 minutes; sign up again for a new one.</summary>
    public const string LinkExpired = "urn:rtgf:problem:link-expired";

    /// <summary>409: a waitlist confirm link already used, or replaced by a newer one.</summary>
    public const string LinkUsed = "urn:rtgf:problem:link-used";

    /// <summary>503: the waitlist cannot sign links or key leads: a key or base URL setting is missing or bad (named).</summary>
    public const string WaitlistNotConfigured = "urn:rtgf:problem:waitlist-not-configured";

    /// <summary>503: a waitlist sign-up could not be queued (storage is not answering); Retry-After says when to try again.</summary>
    public const string WaitlistUnavailable = "urn:rtgf:problem:waitlist-unavailable";

    /// <summary>409: a comms message that is not poisoned (sent, suppressed, failed for good, in flight) or has no kept request: not replayed.</summary>
    public const string CommsNotReplayable = "urn:rtgf:problem:comms-not-replayable";

    /// <summary>503: an operator action was done (and is not undone) but its audit entry could not be written; the detail says how to retry.</summary>
    public const string AuditFailed = "urn:rtgf:problem:audit-failed";
}
