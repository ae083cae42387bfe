using System.Globalization;
using Azure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Audit;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Endpoints;

/// <summary>What <c>POST /hooks/{provider}</c> answers an accepted delivery.</summary>
/// <param name="Received">Always true: the event is stored and will be dispatched.</param>
/// <param name="Duplicate">The event was accepted before (nothing new is applied).</param>
internal sealed record WebhookReceipt(bool Received, bool Duplicate);

/// <summary>One accepted webhook, as operators see it (the raw body is at <c>…/body</c>).</summary>
internal sealed record WebhookView(
    string Provider, string EventId, string Type, DateTimeOffset ReceivedAt, string State, int Tries, string? LastError,
    DateTimeOffset UpdatedAt, DateTimeOffset? AppliedAt, int Replays, string? LastReplayBy, string BodyDigest, long BodyLength, string? Note);

/// <summary>A page of accepted webhooks and the cursor of the next.</summary>
internal sealed record WebhookList(IReadOnlyList<WebhookView> Webhooks, string? NextCursor);

/// <summary>
/// The webhook bus's HTTP handlers (docs/spec/webhooks.md): <c>POST /hooks/{provider}</c> verifies, stores and enqueues;
/// <c>/ops/hooks…</c> lists, shows and replays.
/// </summary>
internal static partial class WebhookEndpoints
{
    /// <summary>The largest webhook body accepted (Stripe's events are far smaller).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static async Task<Results<Ok<WebhookReceipt>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, string provider, IEnumerable<IWebhookVerifier> verifiers, IConfiguration settings, WebhookOptions options,
        WebhookInbox inbox, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        if (verifiers.FirstOrDefault(v => string.Equals(v.Provider, provider, StringComparison.Ordinal)) is not { } verifier)
        {
            return ApiProblem.NotFound($"No webhook provider is called '{Printable(provider)}'.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return ApiProblem.PayloadTooLarge($"The body is {request.ContentLength} bytes; webhooks are at most {MaxBodyBytes}.");
        }

        var body = await RequestBody.ReadCappedAsync(request.Body, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return ApiProblem.PayloadTooLarge($"The body is larger than {MaxBodyBytes} bytes, the most a webhook may be.");
        }

        if (settings[verifier.SecretSetting] is not { Length: > 0 } secret)
        {
            return ApiProblem.WebhookNotConfigured($"Set {verifier.SecretSetting} to accept {provider} webhooks.");
        }

        var verification = verifier.Verify(name => request.Headers.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null, body, secret, time.GetUtcNow(), options.Tolerance);
        if (!verification.Verified)
        {
            Refused(logger, provider, verification.Refusal!);
            return verification.Unconfigured
                ? ApiProblem.WebhookNotConfigured(verification.Refusal!)
                : ApiProblem.WebhookSignatureInvalid(verification.Refusal!);
        }

        WebhookAcceptance acceptance;
        try
        {
            acceptance = await inbox.AcceptAsync(provider, verification, body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException { InnerExceptions: [RequestFailedException, ..] })
        {
            // Storage refused or did not answer (after the SDK's retries): not accepted, so the provider retries; the record
            // and body writes are idempotent and a half-done acceptance is finished by the retry or the sweep.
            StoreFailed(logger, provider, e.GetType().Name);
            request.HttpContext.Response.Headers[HeaderNames.RetryAfter] = "30";
            return ApiProblem.NotReady("The webhook could not be stored just now; it was not accepted. Retry shortly.");
        }

        return TypedResults.Ok(new WebhookReceipt(true, acceptance.Duplicate));
    }

    public static async Task<Results<Ok<WebhookList>, ProblemHttpResult>> ListAsync(HttpRequest request, IWebhookStore store, CancellationToken cancellationToken)
    {
        var provider = QueryValues.Get(request, "provider");
        if (provider is not null && !IsProvider(provider))
        {
            return ApiProblem.InvalidRequest("'provider' is a provider's route name (a-z, 0-9 and '-').");
        }

        var state = QueryValues.Get(request, "state");
        if (state is not null && !WebhookStates.All.Contains(state))
        {
            return ApiProblem.InvalidRequest($"'state' is one of {string.Join(", ", WebhookStates.All)}.");
        }

        if (!PageRequest.TryRead(request, DefaultPageSize, MaxPageSize, out var requested, out var invalid))
        {
            return invalid;
        }

        var limit = requested.Limit;
        var continuation = requested.Continuation;

        WebhookPage page;
        try
        {
            page = await store.ListAsync(provider, state, limit, continuation, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status400BadRequest)
        {
            return ApiProblem.InvalidRequest("'cursor' is not a cursor this API gave out.");
        }

        return TypedResults.Ok(new WebhookList([.. page.Records.Select(View)], page.Continuation is { } next ? ContinuationCursor.Encode(next) : null));
    }

    public static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> GetAsync(string provider, string eventId, IWebhookStore store, CancellationToken cancellationToken)
    {
        if (Invalid(provider, eventId) is { } problem)
        {
            return problem;
        }

        return await store.GetAsync(provider, eventId, cancellationToken).ConfigureAwait(false) is { } stored
            ? TypedResults.Ok(View(stored.Record))
            : ApiProblem.NotFound($"No {provider} webhook has the event id {eventId}.");
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetBodyAsync(
        string provider, string eventId, IWebhookStore store, IWebhookBodyStore bodies, CancellationToken cancellationToken)
    {
        if (Invalid(provider, eventId) is { } problem)
        {
            return problem;
        }

        if (await store.GetAsync(provider, eventId, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return ApiProblem.NotFound($"No {provider} webhook has the event id {eventId}.");
        }

        return await bodies.GetAsync(stored.Record.BodyDigest, cancellationToken).ConfigureAwait(false) is { } body
            ? TypedResults.Bytes(body, "application/json")
            : ApiProblem.NotFound($"The body {stored.Record.BodyDigest} of {provider} webhook {eventId} is not stored.");
    }

    public static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> ReplayAsync(
        HttpRequest request, string provider, string eventId, WebhookInbox inbox, IConfiguration settings, ILogger logger, OperatorAudit audit,
        CancellationToken cancellationToken)
    {
        if (Invalid(provider, eventId) is { } problem)
        {
            return problem;
        }

        var actor = OperatorActor.From(request, settings);
        if (await inbox.ReplayAsync(provider, eventId, actor, cancellationToken).ConfigureAwait(false) is not { Record: var replayed, Number: var number })
        {
            return ApiProblem.NotFound($"No {provider} webhook has the event id {eventId}.");
        }

        Replayed(logger, provider, eventId, actor, number);

        // Audit id: the event and its replay count (each replay is its own action; a repeated request replays again).
        var entry = new AuditEntry(
            string.Create(CultureInfo.InvariantCulture, $"{AuditActions.WebhookReplayed}:{provider}/{eventId}#{number}"), replayed.UpdatedAt, actor,
            AuditActions.WebhookReplayed, provider + "/" + eventId,
            new Dictionary<string, string> { ["eventType"] = replayed.EventType, ["replays"] = number.ToString(CultureInfo.InvariantCulture) });
        if (await audit.RecordAsync(entry, $"The {provider} webhook {eventId} was queued again (replay {number.ToString(CultureInfo.InvariantCulture)}).", retry: false).ConfigureAwait(false) is { } unaudited)
        {
            return unaudited;
        }

        return TypedResults.Ok(View(replayed));
    }

    private static WebhookView View(WebhookRecord r) =>
        new(r.Provider, r.EventId, r.EventType, r.ReceivedAt, r.State, r.Tries, r.LastError, r.UpdatedAt, r.AppliedAt, r.Replays, r.LastReplayBy, r.BodyDigest, r.BodyLength, r.Note);

    private static ProblemHttpResult? Invalid(string provider, string eventId) =>
        !IsProvider(provider) ? ApiProblem.InvalidRequest("The provider is a route name (a-z, 0-9 and '-').")
        : !WebhookEventIds.IsValid(eventId) ? ApiProblem.InvalidRequest($"An event id is 1 to {WebhookEventIds.MaxLength} characters of A-Z, a-z, 0-9, '_', '-', '.' and ':'.")
        : null;

    private static bool IsProvider(string text) => text is { Length: > 0 and <= 32 } && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>A route value safe to echo: unknown providers are printed only when they look like one.</summary>
    private static string Printable(string provider) => IsProvider(provider) ? provider : "(not a provider name)";

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Webhook for {Provider} refused: {Reason}")]
    private static partial void Refused(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Webhook for {Provider} not accepted: storage failed ({Failure})")]
    private static partial void StoreFailed(ILogger logger, string provider, string failure);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Webhook {Provider}/{EventId} replayed by {Actor} (replay {Replays})")]
    private static partial void Replayed(ILogger logger, string provider, string eventId, string actor, int replays);
}
