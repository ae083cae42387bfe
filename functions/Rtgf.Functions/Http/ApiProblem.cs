using Microsoft.AspNetCore.Http.HttpResults;

namespace Rtgf.Functions.Http;

/// <summary>RFC 9457 answers with the app's stable <c>type</c> URIs (<see cref="ProblemTypes"/>, listed in docs/spec/api.md).</summary>
internal static class ApiProblem
{
    public static ProblemHttpResult InvalidRequest(string detail) =>
        Create(StatusCodes.Status400BadRequest, "The request is invalid", ProblemTypes.InvalidRequest, detail);

    public static ProblemHttpResult InvalidJson(string detail) =>
        Create(StatusCodes.Status400BadRequest, "The request body is not valid JSON of the expected shape", ProblemTypes.InvalidJson, detail);

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        Create(StatusCodes.Status415UnsupportedMediaType, "The request body must be application/json", ProblemTypes.UnsupportedMediaType, detail);

    public static ProblemHttpResult PayloadTooLarge(string detail) =>
        Create(StatusCodes.Status413PayloadTooLarge, "The request body is too large", ProblemTypes.PayloadTooLarge, detail);

    public static ProblemHttpResult BatchTooLarge(string detail) =>
        Create(StatusCodes.Status413PayloadTooLarge, "The batch holds too many items", ProblemTypes.BatchTooLarge, detail);

    public static ProblemHttpResult NotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, "Not found", ProblemTypes.NotFound, detail);

    public static ProblemHttpResult OutOfRange(string detail) =>
        Create(StatusCodes.Status400BadRequest, "Outside the published log", ProblemTypes.OutOfRange, detail);

    public static ProblemHttpResult PublicationFrozen(string detail) =>
        Create(StatusCodes.Status409Conflict, "Publication is frozen", ProblemTypes.PublicationFrozen, detail);

    public static ProblemHttpResult NotFrozen(string detail) =>
        Create(StatusCodes.Status409Conflict, "Publication is not frozen", ProblemTypes.NotFrozen, detail);

    public static ProblemHttpResult NotReady(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "Not ready", ProblemTypes.NotReady, detail);

    public static ProblemHttpResult CursorExpired(string detail) =>
        Create(StatusCodes.Status410Gone, "The cursor has expired", ProblemTypes.CursorExpired, detail);

    public static ProblemHttpResult Unauthorized(string detail) =>
        Create(StatusCodes.Status401Unauthorized, "An API key is needed", ProblemTypes.Unauthorized, detail);

    public static ProblemHttpResult InsufficientScope(string detail) =>
        Create(StatusCodes.Status403Forbidden, "The API key lacks the scope", ProblemTypes.InsufficientScope, detail);

    public static ProblemHttpResult RateLimited(string detail) =>
        Create(StatusCodes.Status429TooManyRequests, "Too many requests", ProblemTypes.RateLimited, detail);

    public static ProblemHttpResult QuotaExhausted(string detail) =>
        Create(StatusCodes.Status429TooManyRequests, "The monthly quota is used up", ProblemTypes.QuotaExhausted, detail);

    public static ProblemHttpResult AddressBlocked(string detail) =>
        Create(StatusCodes.Status403Forbidden, "The address is blocked", ProblemTypes.AddressBlocked, detail);

    public static ProblemHttpResult AccessNotConfigured(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "API keys are not configured", ProblemTypes.AccessNotConfigured, detail);

    public static ProblemHttpResult KeyRevoked(string detail) =>
        Create(StatusCodes.Status409Conflict, "The API key is revoked", ProblemTypes.KeyRevoked, detail);

    public static ProblemHttpResult KeyExpired(string detail) =>
        Create(StatusCodes.Status409Conflict, "The API key has expired", ProblemTypes.KeyExpired, detail);

    public static ProblemHttpResult WebhookSignatureInvalid(string detail) =>
        Create(StatusCodes.Status400BadRequest, "The webhook signature is not valid", ProblemTypes.WebhookSignatureInvalid, detail);

    public static ProblemHttpResult WebhookNotConfigured(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "Webhooks of this provider are not configured", ProblemTypes.WebhookNotConfigured, detail);

    public static ProblemHttpResult BillingNotConfigured(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "Billing is not configured", ProblemTypes.BillingNotConfigured, detail);

    public static ProblemHttpResult BillingUnavailable(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "Stripe is unavailable", ProblemTypes.BillingUnavailable, detail);

    public static ProblemHttpResult BillingFailed(string detail) =>
        Create(StatusCodes.Status502BadGateway, "Stripe refused the request", ProblemTypes.BillingFailed, detail);

    public static ProblemHttpResult SubscriptionExists(string detail) =>
        Create(StatusCodes.Status409Conflict, "The API key already has a subscription", ProblemTypes.SubscriptionExists, detail);

    public static ProblemHttpResult IdempotencyKeyReused(string detail) =>
        Create(StatusCodes.Status409Conflict, "The Idempotency-Key was used for another request", ProblemTypes.IdempotencyKeyReused, detail);

    public static ProblemHttpResult LinkInvalid(string detail) =>
        Create(StatusCodes.Status400BadRequest, "The link is not valid", ProblemTypes.LinkInvalid, detail);

    public static ProblemHttpResult LinkExpired(string detail) =>
        Create(StatusCodes.Status410Gone, "The link has expired", ProblemTypes.LinkExpired, detail);

    public static ProblemHttpResult LinkUsed(string detail) =>
        Create(StatusCodes.Status409Conflict, "The link was used or replaced", ProblemTypes.LinkUsed, detail);

    public static ProblemHttpResult WaitlistNotConfigured(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "The waitlist is not configured", ProblemTypes.WaitlistNotConfigured, detail);

    public static ProblemHttpResult WaitlistUnavailable(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "The waitlist cannot take sign-ups now", ProblemTypes.WaitlistUnavailable, detail);

    public static ProblemHttpResult CommsNotReplayable(string detail) =>
        Create(StatusCodes.Status409Conflict, "The message cannot be replayed", ProblemTypes.CommsNotReplayable, detail);

    public static ProblemHttpResult AuditFailed(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "The action was done but not audited", ProblemTypes.AuditFailed, detail);

    private static ProblemHttpResult Create(int status, string title, string type, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type);
}
