using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

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

    /// <summary>Waits until the host cancels the invocation, then says so.</summary>
    [Function("WaitForCancel")]
    public static async Task<string> WaitForCancel([QueueTrigger("contract-wait")] string message, FunctionContext context)
    {
        var cancelled = new TaskCompletionSource();
        using (context.CancellationToken.Register(cancelled.SetResult))
        {
            await cancelled.Task;
        }

        return message + " cancelled";
    }

    [Function("Tick")]
    [QueueOutput("contract-ticks")]
    public static string Tick([TimerTrigger("%TICK_SCHEDULE%")] TimerInfo timer) =>
        string.Create(CultureInfo.InvariantCulture, $"tick past-due={timer.IsPastDue} last={timer.ScheduleStatus?.Last:O}");

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
}

public sealed record EchoResponse(string Id, string Method, string Query, long Length, string Sha256, string InvocationId, string InvocationHeader);

public sealed class ConsumeOutputs
{
    [QueueOutput("contract-single")]
    public string? One { get; set; }

    [QueueOutput("contract-many")]
    public string[]? Many { get; set; }
}
