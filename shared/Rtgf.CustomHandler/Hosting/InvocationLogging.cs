using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rtgf.CustomHandler.Hosting;

/// <summary>
/// Logs every invocation (envelopes and forwarded HTTP) as one structured line, inside a scope carrying
/// the host's invocation id and the function name so every log line of the invocation has both.
/// </summary>
internal sealed partial class InvocationLogging(RequestDelegate next, ILogger<InvocationLogging> logger, TimeProvider timeProvider)
{
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    public async Task InvokeAsync(HttpContext context)
    {
        var function = context.GetEndpoint()?.Metadata.GetMetadata<FunctionEndpointMetadata>()?.Function;
        if (function is null)
        {
            await next(context);
            return;
        }

        var invocationId = InvocationId(context);
        using var scope = logger.BeginScope("Function {FunctionName} invocation {InvocationId}", function.Name, invocationId);
        var started = timeProvider.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = timeProvider.GetElapsedTime(started).TotalMilliseconds;
            LogInvocation(logger, function.Name, invocationId, context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode, elapsed);
        }
    }

    /// <summary>The host's id for this invocation, or the request's own id when called without the host.</summary>
    public static string InvocationId(HttpContext context) =>
        context.Request.Headers[InvocationIdHeader] is { Count: > 0 } values && !string.IsNullOrEmpty(values[0]) ? values[0]! : context.TraceIdentifier;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Function {FunctionName} invocation {InvocationId}: {Method} {Path} -> {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogInvocation(ILogger logger, string functionName, string invocationId, string method, string path, int statusCode, double elapsedMs);
}
