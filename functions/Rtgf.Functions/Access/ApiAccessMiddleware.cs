using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Net.Http.Headers;
using Rtgf.Functions.Functions;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Access;

namespace Rtgf.Functions.Access;

/// <summary>
/// The app's own API keys, plans, limits and abuse list in front of the functions whose routes are <c>v1</c>, <c>v1/…</c>
/// (scope <c>catalogue:read</c>, or the anonymous tier) and <c>mcp</c>, <c>mcp/…</c> (scope <c>mcp</c>); every other
/// function passes untouched. It runs inside <see cref="HttpProblemMiddleware"/>: a refusal is handed to it as the
/// invocation's result (a Problem) and the function does not run. Answers on those areas carry <c>RateLimit-Policy</c> and
/// <c>RateLimit</c>. An accepted key is handed to the function as <see cref="ApiCaller"/> (absent for anonymous callers).
/// Keys never reach the log: only public ids and outcomes do.
/// </summary>
internal sealed partial class ApiAccessMiddleware : IFunctionsWorkerMiddleware
{
    public const string RateLimitPolicyHeader = "RateLimit-Policy";
    public const string RateLimitHeader = "RateLimit";

    private readonly Dictionary<string, AccessArea> _areas;
    private readonly ApiAccessGate _gate;
    private readonly ILogger<ApiAccessMiddleware> _logger;

    public ApiAccessMiddleware(FunctionIndex index, ApiAccessGate gate, ILogger<ApiAccessMiddleware> logger)
    {
        _gate = gate;
        _logger = logger;
        _areas = new(StringComparer.OrdinalIgnoreCase);
        foreach (var function in index.Functions)
        {
            if (AreaOf(function.Route) is { } area)
            {
                _areas[function.Name] = area;
            }
        }
    }

    /// <summary>The protected area of a route, if it is in one.</summary>
    internal static AccessArea? AreaOf(string? route) =>
        route is null ? null
        : Under(route, "v1") ? AccessArea.Catalogue
        : Under(route, "mcp") ? AccessArea.Mcp
        : null;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (!_areas.TryGetValue(context.FunctionDefinition.Name, out var area))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (context.GetHttpContext() is not { } http)
        {
            // A protected function invoked without its HTTP request (not through the ASP.NET Core integration): there is no
            // key or address to check, so it does not run (fail closed).
            LogNoHttpContext(_logger, context.FunctionDefinition.Name);
            return;
        }

        var address = ClientAddress.Of(http.Request);
        var authorization = http.Request.Headers.Authorization;
        AccessDecision decision;
        try
        {
            decision = authorization.Count > 1
                ? new AccessDecision(AccessOutcome.Unauthorized, "Send one Authorization header.", Challenge: "Bearer error=\"invalid_request\"")
                : await _gate.CheckAsync(area, authorization.Count == 1 ? authorization[0] : null, address, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage unreachable (the key table, the counters): the client did nothing wrong, so not a 4xx, and not a bare 500.
            LogCheckFailed(_logger, e, context.FunctionDefinition.Name);
            http.Response.Headers[HeaderNames.RetryAfter] = "1";
            context.GetInvocationResult().Value = ApiProblem.NotReady("The API key and its limits could not be checked just now; retry shortly.");
            return;
        }

        var headers = http.Response.Headers;
        if (decision.RateLimitPolicy is { } policy)
        {
            headers[RateLimitPolicyHeader] = policy;
            headers[RateLimitHeader] = decision.RateLimit;
        }

        if (decision.IsAllowed)
        {
            if (decision.Key is { } key)
            {
                http.Features.Set(ApiCaller.From(key));
            }

            await next(context).ConfigureAwait(false);

            // Only anonymous requests' not-founds count towards an address block: a valid key is limited by its plan.
            if (decision.KeyId is null && StatusOf(context, http) == StatusCodes.Status404NotFound)
            {
                await RecordAsync(address, StatusCodes.Status404NotFound, context.CancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (decision.Challenge is { } challenge)
        {
            headers[HeaderNames.WWWAuthenticate] = challenge;
        }

        if (decision.RetryAfter is { } retryAfter)
        {
            headers[HeaderNames.RetryAfter] = ApiAccessGate.Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        }

        LogRefused(_logger, context.FunctionDefinition.Name, decision.Outcome, decision.KeyId ?? "-", address);
        if (decision.Outcome == AccessOutcome.Unauthorized)
        {
            await RecordAsync(address, StatusCodes.Status401Unauthorized, context.CancellationToken).ConfigureAwait(false);
        }

        context.GetInvocationResult().Value = Problem(decision);
    }

    private static bool Under(string route, string root) =>
        route.Equals(root, StringComparison.OrdinalIgnoreCase)
        || (route.StartsWith(root, StringComparison.OrdinalIgnoreCase) && route.Length > root.Length && route[root.Length] == '/');

    private static int StatusOf(FunctionContext context, HttpContext http) =>
        context.GetInvocationResult().Value is IStatusCodeHttpResult { StatusCode: { } status } ? status : http.Response.StatusCode;

    private static ProblemHttpResult Problem(AccessDecision decision) => decision.Outcome switch
    {
        AccessOutcome.Unauthorized => ApiProblem.Unauthorized(decision.Detail),
        AccessOutcome.InsufficientScope => ApiProblem.InsufficientScope(decision.Detail),
        AccessOutcome.RateLimited => ApiProblem.RateLimited(decision.Detail),
        AccessOutcome.QuotaExhausted => ApiProblem.QuotaExhausted(decision.Detail),
        AccessOutcome.Blocked => ApiProblem.AddressBlocked(decision.Detail),
        AccessOutcome.NotConfigured => ApiProblem.AccessNotConfigured(decision.Detail),
        _ => throw new InvalidOperationException($"No problem for {decision.Outcome}."),
    };

    /// <summary>Counts an answer towards the abuse list; whatever happens there, the client's answer stays the same.</summary>
    private async Task RecordAsync(string address, int status, CancellationToken cancellationToken)
    {
        try
        {
            if (await _gate.Abuse.RecordAsync(address, status, cancellationToken).ConfigureAwait(false) is { } block)
            {
                LogBlocked(_logger, address, block.Until, block.Reason);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRecordFailed(_logger, e, address);
        }
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "{FunctionName} was invoked without an HTTP context; it is protected, so it did not run")]
    private static partial void LogNoHttpContext(ILogger logger, string functionName);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "The answer to {Address} could not be counted towards the abuse list")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string address);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{FunctionName} refused: {Outcome} (key {KeyId}, address {Address})")]
    private static partial void LogRefused(ILogger logger, string functionName, AccessOutcome outcome, string keyId, string address);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "{FunctionName}: API access could not be checked")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string functionName);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Address {Address} blocked until {Until}: {Reason}")]
    private static partial void LogBlocked(ILogger logger, string address, DateTimeOffset until, string reason);
}
