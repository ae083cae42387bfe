using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Http;
using Rtgf.LocalRunner.Invocation;

namespace Rtgf.LocalRunner.Http;

/// <summary>Runs a function now, outside its trigger (the host's admin API); input is the message body for queue triggers.</summary>
internal delegate Task<InvocationOutcome> RunFunction(string? input, CancellationToken cancellationToken);

/// <summary>
/// The host's HTTP front on localhost: every request goes through <see cref="FunctionHttpHandler"/> (routing, the host's
/// own 404/405, <c>x-ms-invocation-id</c>, the forward to the worker's HTTP server and the invocation over gRPC) and the
/// client gets the worker's response as it streams. Bodies over the host's limit are refused here with a 413 problem,
/// whether declared (Content-Length) or found while streaming (chunked); Kestrel's own 30 MB limit is lifted so that it
/// never answers first with an empty 500. Also serves the admin API: <c>POST /admin/functions/{name}</c> runs a timer or
/// queue function now (JSON from localhost only: <see cref="LocalAdminGuard"/>).
/// </summary>
internal sealed class HttpFront : IAsyncDisposable
{
    /// <summary>The Functions host's default <c>maxRequestBodySize</c> (100 MB).</summary>
    public const long DefaultMaxRequestBodySize = 100L * 1024 * 1024;

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Authenticate", "Host", "Proxy-Connection",
    };

    // How much of an over-limit body is read and dropped after the 413, at most: enough for what a client has in flight.
    private const long DiscardBytes = 8L * 1024 * 1024;
    private static readonly TimeSpan DiscardTime = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _worker;

    private HttpFront(WebApplication app, HttpMessageInvoker worker, Uri address)
    {
        _app = app;
        _worker = worker;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<HttpFront> StartAsync(
        int port,
        long maxRequestBodySize,
        WorkerChannel channel,
        string routePrefix,
        IReadOnlyDictionary<string, RunFunction> runnable,
        BackgroundRuns background,
        RunnerEvents events,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var workerUri = channel.HttpUri ?? throw new RunnerException("The worker announced no HttpUri: the app must use the ASP.NET Core integration (ConfigureFunctionsWebApplication).");
        var router = new HttpRouter(channel.Functions, routePrefix);
#pragma warning disable CA2000 // The invoker owns the handler chain and is disposed with the front.
        var forward = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None };
        var worker = new HttpMessageInvoker(new FunctionHttpHandler(channel, router, workerUri, forward, timeProvider, invocation => Report(events, invocation)), disposeHandler: true);
#pragma warning restore CA2000

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null; // ours is enforced below, with a problem instead of Kestrel's bare error
            kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
        });
        var app = builder.Build();
        app.MapGet("/admin/host/status", () => TypedResults.Json(new JsonObject { ["state"] = "Running", ["version"] = WorkerChannel.HostVersion, ["workerVersion"] = channel.WorkerVersion }));
        app.MapGet("/admin/functions", () => TypedResults.Text(FunctionList(channel.Functions).ToJsonString(), "application/json"));
        app.MapPost("/admin/functions/{name}", (string name, HttpContext context) => RunAsync(name, context, channel.Functions, runnable, background, events));
        app.MapFallback("{**path}", context => ForwardAsync(context, worker, maxRequestBodySize, events, timeProvider));

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            worker.Dispose();
            throw new RunnerException($"Port {port} is in use ({e.Message}); pass --port to choose another.", e);
        }

        return new HttpFront(app, worker, new Uri($"http://localhost:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _worker.Dispose();
    }

    private static async Task ForwardAsync(HttpContext context, HttpMessageInvoker worker, long limit, RunnerEvents events, TimeProvider timeProvider)
    {
        var incoming = context.Request;
        if (incoming.ContentLength > limit)
        {
            await TooLargeAsync(context, limit, events, timeProvider).ConfigureAwait(false);
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri($"http://localhost{incoming.Path.ToUriComponent()}{incoming.QueryString.ToUriComponent()}"));
        RequestBodyLimit? body = null;
        if (incoming.ContentLength > 0 || (incoming.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true))
        {
            body = new RequestBodyLimit(incoming.Body, limit);
            request.Content = new StreamContent(body);
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (!HopByHop.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        // Cancelling sends InvocationCancel to the worker: when the client goes, or when the forward fails.
        using var invocation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        HttpResponseMessage response;
        try
        {
            response = await worker.SendAsync(request, invocation.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            await invocation.CancelAsync().ConfigureAwait(false);
            if (body?.Exceeded == true)
            {
                await TooLargeAsync(context, limit, events, timeProvider).ConfigureAwait(false);
            }
            else if (!context.RequestAborted.IsCancellationRequested)
            {
                events.Emit("warning", ("message", $"{incoming.Method} {incoming.Path}: the worker could not be reached: {e.Message}"));
                await WriteProblemAsync(context, StatusCodes.Status502BadGateway, "The function app did not answer", "The worker's HTTP server could not be reached; see the runner's console.").ConfigureAwait(false);
            }

            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            try
            {
                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException)
            {
                context.Abort(); // the worker or the client went mid-body: the client must not take a cut body for a whole one
            }
        }
    }

    private static async Task TooLargeAsync(HttpContext context, long limit, RunnerEvents events, TimeProvider timeProvider)
    {
        events.Emit("refused", ("method", context.Request.Method), ("path", context.Request.Path.Value), ("status", StatusCodes.Status413PayloadTooLarge), ("limitBytes", limit));
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        // The connection closes after the answer (the rest of the body is not wanted); the answer goes out first, then
        // some of what the client is still sending is read and dropped, so the close does not reset the connection
        // (discarding the 413) before a client that is still uploading has read it.
        context.Response.Headers.Connection = "close";
        await WriteProblemAsync(context, StatusCodes.Status413PayloadTooLarge, "The request body is too large", $"The host accepts request bodies of up to {limit} bytes.").ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        await DiscardBodyAsync(context, timeProvider).ConfigureAwait(false);
    }

    private static async Task DiscardBodyAsync(HttpContext context, TimeProvider timeProvider)
    {
        using var deadline = new CancellationTokenSource(DiscardTime, timeProvider);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, context.RequestAborted);
        var buffer = new byte[64 * 1024];
        long discarded = 0;
        try
        {
            int read;
            while (discarded < DiscardBytes && (read = await context.Request.Body.ReadAsync(buffer, stop.Token).ConfigureAwait(false)) > 0)
            {
                discarded += read;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client stopped sending, went away, or took too long: the answer is out either way.
        }
    }

    private static async Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problem = new JsonObject { ["type"] = "about:blank", ["title"] = title, ["status"] = status, ["detail"] = detail, ["instance"] = context.Request.Path.Value };
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync(problem.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static void Report(RunnerEvents events, HttpInvocation invocation) =>
        events.Emit(
            "invocation",
            ("function", invocation.Function),
            ("trigger", "http"),
            ("outcome", invocation.Result?.Succeeded == true ? "succeeded" : "failed"),
            ("durationMs", Math.Round(invocation.Elapsed.TotalMilliseconds, 1)),
            ("method", invocation.Method),
            ("path", invocation.Path),
            ("status", invocation.Status),
            ("invocationId", invocation.InvocationId),
            ("error", invocation.Result is null ? "the worker did not answer the invocation" : invocation.Result.Error));

    private static async Task<IResult> RunAsync(string name, HttpContext context, IReadOnlyList<HostedFunction> functions, IReadOnlyDictionary<string, RunFunction> runnable, BackgroundRuns background, RunnerEvents events)
    {
        if (LocalAdminGuard.Refusal(context.Request) is { } refusal)
        {
            return TypedResults.Problem(refusal);
        }

        if (!runnable.TryGetValue(name, out var run))
        {
            var known = functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            return known is null
                ? TypedResults.Problem(title: $"There is no function named '{name}'", statusCode: StatusCodes.Status404NotFound)
                : TypedResults.Problem(
                    title: $"'{known.Name}' cannot be run from here",
                    detail: known.IsHttp ? "It is HTTP-triggered: call its route." : "It is disabled: see the runner's function list for why.",
                    statusCode: StatusCodes.Status409Conflict);
        }

        string? input = null;

        // A chunked body (what HttpClient's PostAsJsonAsync sends) has no Content-Length; only a declared zero means none.
        if (context.Request.ContentLength is null or > 0)
        {
            try
            {
                using var reader = new StreamReader(context.Request.Body);
                var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
                if (!string.IsNullOrWhiteSpace(text))
                {
                    var body = JsonSerializer.Deserialize<JsonElement>(text);
                    input = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("input", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                }
            }
            catch (JsonException e)
            {
                return TypedResults.Problem(title: "The body must be {\"input\": \"...\"}", detail: e.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        }

        events.Emit("run", ("function", name), ("input", input));
        if (!string.Equals(context.Request.Query["wait"], "true", StringComparison.OrdinalIgnoreCase))
        {
            background.Start(name, () => run(input, CancellationToken.None));
            return TypedResults.Accepted((string?)null);
        }

        var outcome = await run(input, context.RequestAborted).ConfigureAwait(false);
        var result = new JsonObject
        {
            ["function"] = name,
            ["outcome"] = outcome.Succeeded ? "succeeded" : "failed",
            ["durationMs"] = Math.Round(outcome.Duration.TotalMilliseconds, 1),
            ["invocationId"] = outcome.InvocationId,
            ["error"] = outcome.Error,
        };
        return TypedResults.Json(result, statusCode: outcome.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError);
    }

    private static JsonArray FunctionList(IReadOnlyList<HostedFunction> functions) =>
        [.. functions.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["trigger"] = f.Trigger.Type,
            ["outputs"] = new JsonArray([.. f.Outputs.Select(o => (JsonNode)JsonValue.Create(o.Name)!)]),
        })];
}
