using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Rtgf.FunctionsHost.TestWorker;

/// <summary>The functions the contract tests drive through the host.</summary>
public sealed class ContractFunctions
{
    /// <summary>Echoes what the worker saw: the route value bound by name, the query, the method and the body's length and digest.</summary>
    [Function("Echo")]
    public static async Task<IResult> Echo([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "head", Route = "echo/{id}")] HttpRequest request, string id, FunctionContext context)
    {
        var length = 0L;
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            length += read;
            sha.AppendData(buffer, 0, read);
        }

        return Results.Json(new EchoResponse(
            id,
            request.Method,
            request.Query["q"].ToString(),
            length,
            Convert.ToHexStringLower(sha.GetHashAndReset()),
            context.InvocationId,
            request.Headers["x-ms-invocation-id"].ToString()));
    }

    [Function("Fail")]
    public static IResult Fail([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "fail")] HttpRequest request) =>
        throw new InvalidOperationException("The function failed on purpose.");

    /// <summary>Writes part of its body, flushes it (the response has started), then throws.</summary>
    [Function("FailAfterWrite")]
    public static async Task<IResult> FailAfterWrite([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "fail-after-write")] HttpRequest request)
    {
        request.HttpContext.Response.ContentType = "text/plain";
        await request.HttpContext.Response.WriteAsync("partial", request.HttpContext.RequestAborted);
        await request.HttpContext.Response.Body.FlushAsync(request.HttpContext.RequestAborted);
        throw new InvalidOperationException("The function failed after writing on purpose.");
    }

    /// <summary>
    /// Writes <c>{megabytes}</c> MiB of a fixed pattern (byte i is i % 251) straight to the response, without a
    /// Content-Length: far more than the socket buffers hold, so the writes complete only while the client reads.
    /// </summary>
    [Function("Large")]
    public static async Task<IResult> Large([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "large/{megabytes:int}")] HttpRequest request, int megabytes)
    {
        var response = request.HttpContext.Response;
        response.ContentType = "application/octet-stream";
        var chunk = new byte[64 * 1024];
        long offset = 0;
        for (var sent = 0; sent < megabytes * 16; sent++)
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (byte)((offset + i) % 251);
            }

            await response.Body.WriteAsync(chunk, request.HttpContext.RequestAborted);
            offset += chunk.Length;
        }

        return Results.Empty;
    }

    /// <summary>
    /// Logs that it is waiting (so a test knows the worker is tracking the invocation before it cancels), waits until the
    /// host cancels the invocation, then logs that too: the host drops the response of a cancelled invocation, so the
    /// log is what it can observe.
    /// </summary>
    [Function("WaitForCancel")]
    public static async Task<string> WaitForCancel([QueueTrigger("contract-wait")] string message, FunctionContext context)
    {
        var logger = context.GetLogger("Contract");
        var cancelled = new TaskCompletionSource();
        using (context.CancellationToken.Register(cancelled.SetResult))
        {
            ContractLog.Waiting(logger, message);
            await cancelled.Task;
        }

        ContractLog.Cancelled(logger, message);
        return message + " cancelled";
    }

    /// <summary>Answers the trace context the host sent with the invocation (what the worker's spans hang under).</summary>
    [Function("TraceContext")]
    [QueueOutput("contract-trace")]
    public static string TraceContext([QueueTrigger("contract-trace-in")] string message, FunctionContext context) =>
        context.TraceContext.TraceParent;

    [Function("Tick")]
    [QueueOutput("contract-ticks")]
    public static string Tick([TimerTrigger("%TICK_SCHEDULE%")] TimerInfo timer) =>
        string.Create(CultureInfo.InvariantCulture, $"tick past-due={timer.IsPastDue} last={timer.ScheduleStatus?.Last.ToUniversalTime():O} next={timer.ScheduleStatus?.Next.ToUniversalTime():O}");

    /// <summary>A queue message in; two outputs back: one message, and an array the host splits into one message per element.</summary>
    [Function("Consume")]
    public static ConsumeOutputs Consume([QueueTrigger("contract-in")] string message, string id, long dequeueCount)
    {
        if (message == "poison")
        {
            throw new InvalidOperationException("This message always fails.");
        }

        return new ConsumeOutputs
        {
            One = $"{message}|{id}|{dequeueCount.ToString(CultureInfo.InvariantCulture)}",
            Many = [message + "-1", message + "-2"],
        };
    }

    /// <summary>A JSON message: <c>colour</c> binds from the message's own properties, <c>id</c> from the message id.</summary>
    [Function("ConsumeJson")]
    [QueueOutput("contract-json-out")]
    public static string ConsumeJson([QueueTrigger("contract-json")] string message, string id, string colour) =>
        string.Create(CultureInfo.InvariantCulture, $"{id}|{colour}|{message.Length}");
}

internal static partial class ContractLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "waiting: {Message}")]
    public static partial void Waiting(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "cancelled: {Message}")]
    public static partial void Cancelled(ILogger logger, string message);
}

public sealed record EchoResponse(string Id, string Method, string Query, long Length, string Sha256, string InvocationId, string InvocationHeader);

public sealed class ConsumeOutputs
{
    [QueueOutput("contract-single")]
    public string? One { get; set; }

    [QueueOutput("contract-many")]
    public string[]? Many { get; set; }
}
