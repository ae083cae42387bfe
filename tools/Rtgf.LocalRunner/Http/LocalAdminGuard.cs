using System.Net;
using Microsoft.AspNetCore.Mvc;

namespace Rtgf.LocalRunner.Http;

/// <summary>
/// Keeps web pages from driving the local admin API (<c>POST /admin/functions/{name}</c>). A browser sends a cross-site
/// POST without asking first only with a "simple" content type (text/plain, form-urlencoded, multipart) or none, so the
/// body must be declared <c>application/json</c>, which forces a CORS preflight that this host never grants. Any
/// <c>Origin</c> or <c>Host</c> that is not loopback is refused too (a foreign page, or DNS rebinding onto localhost).
/// No key is asked for, as <c>func start</c> asks none; the Functions host in Azure wants the master key instead.
/// Kept apart from the gateway so it moves with the admin API when the runner becomes a gRPC host (issue 14).
/// </summary>
internal static class LocalAdminGuard
{
    /// <summary>Why the request is refused (a 415 or 403 problem), or null when it may run.</summary>
    public static ProblemDetails? Refusal(HttpRequest request)
    {
        if (request.Headers.Origin is { Count: > 0 } origin && !IsLoopbackOrigin(origin.ToString()))
        {
            return Problem(StatusCodes.Status403Forbidden, "The local admin API answers only pages on localhost", "The request came from another origin.");
        }

        if (!IsLoopbackHost(request.Host.Host))
        {
            return Problem(StatusCodes.Status403Forbidden, "The local admin API answers only requests to localhost", "Call it at http://localhost:<port>/.");
        }

        var mediaType = request.ContentType is { } type ? type.Split(';', 2)[0].Trim() : string.Empty;
        return string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase)
            ? null
            : Problem(StatusCodes.Status415UnsupportedMediaType, "The body must be application/json", "Send Content-Type: application/json with {\"input\": \"...\"} (an empty object when there is no input).");
    }

    private static bool IsLoopbackOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && IsLoopbackHost(uri.Host);

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
