using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Rtgf.Functions.Http;

/// <summary>
/// Runs an HTTP function and writes its <see cref="IResult"/> itself, so a failure while writing the result is answered
/// too: a request the server could not read (<see cref="BadHttpRequestException"/>: body too large, malformed) is its own
/// 4xx Problem; a cancelled invocation a 503; anything else is logged and becomes a 500 Problem without the exception
/// (messages can carry data that must not leave the app). The response is cleared first, so headers a failed result set
/// (ETag, Cache-Control) do not reach the Problem. Left to the ASP.NET Core integration's middleware (which runs around
/// this one), a result would be written after this middleware returned (an exception there reaches the client as an empty
/// response) and serialised again as the invocation's return value for the host; it is handed <see cref="Results.Empty"/>
/// instead, which writes nothing. Once the response has started, an exception escapes (the client sees a broken
/// response). Other triggers are untouched: their exceptions reach the host, which retries and poisons queue messages.
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

        ProblemHttpResult problem;
        try
        {
            await next(context).ConfigureAwait(false);
            // GetInvocationResult is a snapshot: read it after the function ran.
            if (context.GetInvocationResult() is { Value: IResult result } invocation)
            {
                await result.ExecuteAsync(http).ConfigureAwait(false);
                invocation.Value = Results.Empty;
            }

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

        http.Response.Clear();
        await problem.ExecuteAsync(http).ConfigureAwait(false);
        context.GetInvocationResult().Value = Results.Empty;
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
