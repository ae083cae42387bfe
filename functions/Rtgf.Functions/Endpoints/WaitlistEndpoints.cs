using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Rtgf.Azure.Waitlist;
using Rtgf.Functions.Access;
using Rtgf.Functions.Http;
using Rtgf.Functions.Waitlist;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Waitlist;

namespace Rtgf.Functions.Endpoints;

/// <summary>The body of <c>POST /v1/waitlist</c>: an email address, optionally the organisation and its RTO code.</summary>
internal sealed record WaitlistRequest(string Email, string? Organisation, string? RtoCode);

/// <summary>The answer to every accepted sign-up, whatever the address's state (it never says whether it was known).</summary>
internal sealed record WaitlistAccepted(string Status, string Detail);

/// <summary>One lead as operators see it (no link ids: they are half of a live link).</summary>
internal sealed record LeadView(
    string Id, string Email, string? Organisation, string? RtoCode, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    int LinksSent, DateTimeOffset? ConfirmedAt, DateTimeOffset? UnsubscribedAt);

/// <summary>A page of leads and the cursor of the next (absent at the end).</summary>
internal sealed record LeadList(IReadOnlyList<LeadView> Leads, string? NextCursor);

/// <summary>
/// The prelaunch waitlist (docs/spec/waitlist.md): <c>POST /v1/waitlist</c>; the confirm and unsubscribe links, each a
/// GET that only shows a page with a button (mail scanners fetch GET links) and a POST that acts; <c>GET /ops/leads</c>.
/// </summary>
internal static class WaitlistEndpoints
{
    public const int MaxBodyBytes = 2 * 1024;
    public const int MaxOrganisationLength = 200;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static async Task<Results<Accepted<WaitlistAccepted>, ProblemHttpResult>> SignUpAsync(HttpRequest request, WaitlistSignups waitlist, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        string email;
        string? organisation;
        string? rtoCode;
        using (document)
        {
            var body = document!.RootElement;
            if (!body.TryGetProperty("email", out var member) || member.ValueKind != JsonValueKind.String)
            {
                return ApiProblem.InvalidJson("The body must be {\"email\": \"…\", \"organisation\"?: \"…\", \"rtoCode\"?: \"…\"}.");
            }

            if (!JsonBody.TryGetOptionalString(body, "organisation", out organisation, out var error) || !JsonBody.TryGetOptionalString(body, "rtoCode", out rtoCode, out error))
            {
                return ApiProblem.InvalidJson(error);
            }

            email = member.GetString()!;
        }

        if (WaitlistAddress.Normalise(email, out var why) is not { } address)
        {
            return ApiProblem.InvalidRequest(why);
        }

        // Refused, not cleaned: a CR or LF here is an attempt to write mail headers, and no name needs control characters or
        // line separators (U+2028, U+2029).
        organisation = organisation?.Trim();
        if (organisation is not null && (organisation.Length is 0 or > MaxOrganisationLength || organisation.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029')))
        {
            return ApiProblem.InvalidRequest($"'organisation' must be 1 to {MaxOrganisationLength} characters without control characters (no line breaks).");
        }

        if (rtoCode is not null && !IsRtoCode(rtoCode))
        {
            return ApiProblem.InvalidRequest($"'rtoCode' must be an RTO code: 4 or 5 digits, such as 0022 or 40001 (not '{TokenEndpoints.Truncate(rtoCode)}').");
        }

        var (outcome, retryAfter) = await waitlist.RequestAsync(address, organisation, rtoCode, ClientAddress.Of(request), cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case SignUpOutcome.NotConfigured:
                return ApiProblem.WaitlistNotConfigured(waitlist.Settings.Problem);
            case SignUpOutcome.RateLimited:
                request.HttpContext.Response.Headers[HeaderNames.RetryAfter] = ApiAccessGate.Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
                return ApiProblem.RateLimited("Too many waitlist sign-ups from this address, for this email address or its domain, or in all, this hour; try again later.");
            case SignUpOutcome.Unavailable:
                request.HttpContext.Response.Headers[HeaderNames.RetryAfter] = ApiAccessGate.Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
                return ApiProblem.WaitlistUnavailable("The sign-up could not be taken now (storage is not answering); nothing was recorded: try again after Retry-After.");
            default:
                return TypedResults.Accepted((string?)null, new WaitlistAccepted(
                    "accepted",
                    "If this address can join the waitlist, a confirmation link is on its way; it works for 15 minutes."));
        }
    }

    /// <summary>GET: the link checked (no write) and a page whose button POSTs it; mail scanners that fetch links confirm nothing.</summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> ShowConfirmAsync(HttpRequest request, WaitlistSignups waitlist, CancellationToken cancellationToken)
    {
        var outcome = await waitlist.ConfirmAsync(QueryValues.Get(request, "token"), use: false, cancellationToken).ConfigureAwait(false);
        return outcome == LinkOutcome.Valid
            ? Page(request, "Confirm your place on the RTGF waitlist", "Press the button to confirm this email address.", "Confirm")
            : LinkProblem(outcome, waitlist);
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> ConfirmAsync(HttpRequest request, WaitlistSignups waitlist, CancellationToken cancellationToken)
    {
        var outcome = await waitlist.ConfirmAsync(QueryValues.Get(request, "token"), use: true, cancellationToken).ConfigureAwait(false);
        return outcome == LinkOutcome.Done
            ? Page(request, "You are on the RTGF waitlist", "Your email address is confirmed. We will write when RTGF opens.", null)
            : LinkProblem(outcome, waitlist);
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> ShowUnsubscribeAsync(HttpRequest request, WaitlistSignups waitlist, CancellationToken cancellationToken)
    {
        var outcome = await waitlist.UnsubscribeAsync(QueryValues.Get(request, "token"), use: false, cancellationToken).ConfigureAwait(false);
        return outcome == LinkOutcome.Valid
            ? Page(request, "Unsubscribe from the RTGF waitlist", "Press the button and we will send this address no more waitlist email.", "Unsubscribe")
            : LinkProblem(outcome, waitlist);
    }

    /// <summary>POST (the page's button, or a mail client's RFC 8058 one-click POST; the body is not read).</summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> UnsubscribeAsync(HttpRequest request, WaitlistSignups waitlist, CancellationToken cancellationToken)
    {
        var outcome = await waitlist.UnsubscribeAsync(QueryValues.Get(request, "token"), use: true, cancellationToken).ConfigureAwait(false);
        return outcome == LinkOutcome.Done
            ? Page(request, "Unsubscribed", "We will send this address no more waitlist email.", null)
            : LinkProblem(outcome, waitlist);
    }

    public static async Task<Results<Ok<LeadList>, ProblemHttpResult>> ListLeadsAsync(HttpRequest request, TableLeadStore leads, CancellationToken cancellationToken)
    {
        if (!PageRequest.TryRead(request, DefaultPageSize, MaxPageSize, out var requested, out var invalid))
        {
            return invalid;
        }

        var pageSize = requested.Limit;
        var continuation = requested.Continuation;

        LeadPage page;
        try
        {
            page = await leads.ListAsync(pageSize, continuation, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status400BadRequest)
        {
            return ApiProblem.InvalidRequest("'cursor' is not a cursor this API gave out.");
        }

        return TypedResults.Ok(new LeadList([.. page.Leads.Select(View)], page.Next is { } next ? ContinuationCursor.Encode(next) : null));
    }

    /// <summary>An RTO code (a national provider number): passes the register's code check and is 4 or 5 digits.</summary>
    internal static bool IsRtoCode(string code) => PublicApiQuery.CheckCode(code) is null && code.Length is 4 or 5 && code.All(char.IsAsciiDigit);

    private static LeadView View(Lead l) => new(
        l.Id, l.Email, l.Organisation, l.RtoCode, l.Status.ToString().ToLowerInvariant(), l.CreatedAt, l.UpdatedAt, l.LinksSent, l.ConfirmedAt, l.UnsubscribedAt);

    private static ProblemHttpResult LinkProblem(LinkOutcome outcome, WaitlistSignups waitlist) => outcome switch
    {
        LinkOutcome.Expired => ApiProblem.LinkExpired("This confirmation link has expired (links work for 15 minutes): sign up again for a new one."),
        LinkOutcome.Used => ApiProblem.LinkUsed("This confirmation link was used already: the address is confirmed."),
        LinkOutcome.Superseded => ApiProblem.LinkUsed("This confirmation link was replaced by a newer one (or the address unsubscribed): use the latest email."),
        LinkOutcome.NotConfigured => ApiProblem.WaitlistNotConfigured(waitlist.Settings.LinkProblem),
        _ => ApiProblem.LinkInvalid("This is not a valid waitlist link: 'token' is missing, malformed, altered, or for another address."),
    };

    /// <summary>
    /// A small HTML page; with <paramref name="button"/>, a form that POSTs the same URL (token in the query). Not stored by
    /// caches and not sent on as a referrer: the URL carries a live token.
    /// </summary>
    private static ContentHttpResult Page(HttpRequest request, string title, string text, string? button)
    {
        var headers = request.HttpContext.Response.Headers;
        headers[HeaderNames.CacheControl] = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex";
        var form = button is null
            ? string.Empty
            : $"<form method=\"post\" action=\"?token={WebUtility.HtmlEncode(Uri.EscapeDataString(QueryValues.Get(request, "token") ?? string.Empty))}\"><button type=\"submit\">{WebUtility.HtmlEncode(button)}</button></form>";
        var html = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{WebUtility.HtmlEncode(title)}</title></head>"
            + $"<body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p>{form}</body></html>";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
