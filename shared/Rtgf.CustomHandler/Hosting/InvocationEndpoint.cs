using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Invocation;

namespace Rtgf.CustomHandler.Hosting;

/// <summary>
/// <c>POST /{function}</c>: reads the host's envelope, runs the function's handler and answers with
/// <c>{Outputs, Logs, ReturnValue}</c>. Any failure answers non-2xx so the host retries the trigger and
/// finally dead-letters it; outputs are only returned for a success.
/// </summary>
internal static partial class InvocationEndpoint
{
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> InvokeAsync(
        HttpContext http,
        FunctionDefinition function,
        CustomHandlerOptions options,
        ILogger<FunctionContext> logger)
    {
        var invocationId = InvocationLogging.InvocationId(http);
        var cancellationToken = http.RequestAborted;
        try
        {
            var request = await InvocationRequest.ReadAsync(http.Request.Body, cancellationToken);
            var handler = http.RequestServices.GetRequiredKeyedService<IFunctionHandler>(function.Name);
            var context = new FunctionContext(invocationId, function, request, http.RequestServices, logger, options.SerializerOptions, cancellationToken);
            await handler.InvokeAsync(context);
            return TypedResults.Content(InvocationResponse.From(context).ToJsonString(), "application/json; charset=utf-8");
        }
        catch (InvalidInvocationException e)
        {
            LogRejected(logger, function.Name, invocationId, e.Message);
            return TypedResults.Problem(
                title: "The invocation could not be read",
                detail: e.Message,
                statusCode: StatusCodes.Status400BadRequest,
                type: ProblemTypes.InvalidInvocation,
                extensions: new Dictionary<string, object?> { ["function"] = function.Name, ["invocationId"] = invocationId });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled(logger, function.Name, invocationId);
            return TypedResults.Problem(title: "The invocation was cancelled", statusCode: StatusCodes.Status503ServiceUnavailable, type: ProblemTypes.InvocationCancelled);
        }
        catch (Exception e)
        {
            // The exception goes to the log, not to the response: messages can carry data that must not leave the app.
            LogFailed(logger, e, function.Name, invocationId);
            return TypedResults.Problem(
                title: "The function failed",
                detail: $"Invocation {invocationId} of {function.Name} failed; its log lines carry the cause.",
                statusCode: StatusCodes.Status500InternalServerError,
                type: ProblemTypes.InvocationFailed,
                extensions: new Dictionary<string, object?> { ["function"] = function.Name, ["invocationId"] = invocationId });
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Function {FunctionName} invocation {InvocationId} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string functionName, string invocationId, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Function {FunctionName} invocation {InvocationId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string functionName, string invocationId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Function {FunctionName} invocation {InvocationId} was cancelled")]
    private static partial void LogCancelled(ILogger logger, string functionName, string invocationId);
}
