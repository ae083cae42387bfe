using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Rtgf.Functions.Http;

/// <summary>
/// What an HTTP function answers when it throws: a request the server could not read (<see cref="BadHttpRequestException"/>:
/// body too large, malformed) is its own 4xx Problem; a cancelled invocation a 503; anything else is logged and becomes a
/// 500 Problem without the exception (messages can carry data that must not leave the app). Runs inside the ASP.NET Core
/// integration's middleware, which writes the result to the response. Other triggers are untouched: their exceptions reach
/// the host, which retries and poisons queue messages.
/// </summary>
internal sealed partial class HttpProblemMiddleware(ILogger<HttpProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        IResult problem;
        try
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (!http.Response.HasStarted && Find<BadHttpRequestException>(e) is { } bad)
        {
            problem = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiProblem.PayloadTooLarge(bad.Message)
                : TypedResults.Problem(detail: bad.Message, statusCode: bad.StatusCode, title: "The request could not be read", type: ProblemTypes.InvalidRequest);
        }
        catch (OperationCanceledException) when (!http.Response.HasStarted && (context.CancellationToken.IsCancellationRequested || http.RequestAborted.IsCancellationRequested))
        {
            LogCancelled(logger, context.FunctionDefinition.Name, context.InvocationId);
            problem = TypedResults.Problem(title: "The invocation was cancelled", statusCode: StatusCodes.Status503ServiceUnavailable, type: ProblemTypes.InvocationCancelled);
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            LogFailed(logger, e, context.FunctionDefinition.Name, context.InvocationId);
            problem = TypedResults.Problem(
                title: "The function failed",
                detail: $"Invocation {context.InvocationId} of {context.FunctionDefinition.Name} failed; its log lines carry the cause.",
                statusCode: StatusCodes.Status500InternalServerError,
                type: ProblemTypes.InvocationFailed,
                extensions: new Dictionary<string, object?> { ["function"] = context.FunctionDefinition.Name, ["invocationId"] = context.InvocationId });
        }

        context.GetInvocationResult().Value = problem;
    }

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Function {FunctionName} invocation {InvocationId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string functionName, string invocationId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Function {FunctionName} invocation {InvocationId} was cancelled")]
    private static partial void LogCancelled(ILogger logger, string functionName, string invocationId);
}
