using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Rtgf.CustomHandler.Metadata;
using Rtgf.LocalRunner.Invocation;

namespace Rtgf.LocalRunner.Http;

/// <summary>Runs a function now, outside its trigger (the host's admin API); input is the message body for queue triggers.</summary>
internal delegate Task<InvocationOutcome> RunFunction(string? input, CancellationToken cancellationToken);

/// <summary>
/// The host's HTTP front door on localhost: each HTTP function's route under the host's route prefix. Functions
/// with exactly an HTTP trigger and an HTTP output are forwarded raw to the handler at the same path (when
/// host.json enables forwarding); others get an envelope and answer through their <c>res</c> output. Also serves
/// the host's admin API: <c>POST /admin/functions/{name}</c> runs a function now (JSON from localhost only: <see cref="LocalAdminGuard"/>).
/// </summary>
internal sealed class HttpGateway : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Authenticate", "Host",
    };

    private readonly WebApplication _app;

    private HttpGateway(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<HttpGateway> StartAsync(
        int port,
        ScriptRoot scriptRoot,
        HandlerClient handler,
        FunctionInvoker invoker,
        IReadOnlyDictionary<string, RunFunction> runnable,
        RunnerEvents events,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port));
        var app = builder.Build();

        app.MapGet("/admin/host/status", () => TypedResults.Json(new JsonObject { ["state"] = "Running", ["version"] = HostEnvelopes.HostVersion }));
        app.MapGet("/admin/functions", () => TypedResults.Text(FunctionList(scriptRoot).ToJsonString(), "application/json"));
        app.MapPost("/admin/functions/{name}", (string name, HttpContext context) => RunAsync(name, context, scriptRoot, runnable, events));

        foreach (var function in scriptRoot.Functions.Where(f => f.Trigger.Type == "httpTrigger"))
        {
            var route = function.Trigger.GetString("route") ?? function.Name;
            var template = string.IsNullOrEmpty(scriptRoot.Host.RoutePrefix) ? route : scriptRoot.Host.RoutePrefix.Trim('/') + "/" + route;
            var forwarded = scriptRoot.Host.EnableForwardingHttpRequest && function.IsHttpInAndOut;
            var endpoint = app.Map(template, context => forwarded
                ? ForwardAsync(context, function, handler, events, timeProvider)
                : EnvelopeAsync(context, function, invoker));
            var methods = function.Trigger.GetStrings("methods");
            if (methods.Count > 0)
            {
                endpoint.WithMetadata(new HttpMethodMetadata([.. methods.Select(m => m.ToUpperInvariant())]));
            }
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new RunnerException($"Port {port} is in use ({e.Message}); pass --port to choose another.", e);
        }

        return new HttpGateway(app, new Uri($"http://localhost:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task ForwardAsync(HttpContext context, FunctionMetadata function, HandlerClient handler, RunnerEvents events, TimeProvider timeProvider)
    {
        var invocationId = HostRandom.NewId();
        var started = timeProvider.GetTimestamp();
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), incoming.Path + incoming.QueryString);
        if (incoming.ContentLength > 0 || incoming.Headers.ContainsKey("Transfer-Encoding"))
        {
            request.Content = new StreamContent(incoming.Body);
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        int status;
        string? error = null;
        try
        {
            using var response = await handler.SendAsync(request, invocationId, context.RequestAborted).ConfigureAwait(false);
            status = (int)response.StatusCode;
            context.Response.StatusCode = status;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            status = StatusCodes.Status500InternalServerError;
            error = "the handler could not be reached: " + e.Message;
            context.Response.StatusCode = status;
        }

        events.Emit(
            "invocation",
            ("function", function.Name),
            ("trigger", "http"),
            ("outcome", status < 500 ? "succeeded" : "failed"),
            ("durationMs", Math.Round(timeProvider.GetElapsedTime(started).TotalMilliseconds, 1)),
            ("method", incoming.Method),
            ("path", incoming.Path.Value),
            ("status", status),
            ("invocationId", invocationId),
            ("error", error));
    }

    private static async Task EnvelopeAsync(HttpContext context, FunctionMetadata function, FunctionInvoker invoker)
    {
        var incoming = context.Request;
        using var reader = new MemoryStream();
        await incoming.Body.CopyToAsync(reader, context.RequestAborted).ConfigureAwait(false);
        var contentType = incoming.ContentType ?? string.Empty;
        var body = contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
            ? Convert.ToBase64String(reader.ToArray())
            : Encoding.UTF8.GetString(reader.ToArray());
        var url = new Uri($"{incoming.Scheme}://{incoming.Host}{incoming.PathBase}{incoming.Path}{incoming.QueryString}");
        var request = new EnvelopeHttpRequest(
            url,
            incoming.Method,
            incoming.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            incoming.Headers.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)[.. h.Value.Select(v => v ?? string.Empty)], StringComparer.OrdinalIgnoreCase),
            context.GetRouteData().Values.ToDictionary(v => v.Key, v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, StringComparer.OrdinalIgnoreCase),
            body);

        var outcome = await invoker.InvokeAsync(
            function,
            "http",
            (now, rand) => HostEnvelopes.Http(function.Name, function.Trigger.Name, request, now, rand),
            context.RequestAborted,
            ("method", incoming.Method),
            ("path", incoming.Path.Value)).ConfigureAwait(false);

        var outputName = function.Outputs.FirstOrDefault(o => o.Type == "http")?.Name ?? "res";
        if (!outcome.Succeeded || outcome.Outputs?[outputName] is not JsonObject res)
        {
            // As the host: a failed invocation (or one without an HTTP answer) is a 500 to the caller.
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        await WriteHttpOutputAsync(context, res).ConfigureAwait(false);
    }

    private static async Task WriteHttpOutputAsync(HttpContext context, JsonObject res)
    {
        var status = Property(res, "statusCode") ?? Property(res, "status");
        context.Response.StatusCode = status switch
        {
            null => StatusCodes.Status200OK,
            JsonValue v when v.TryGetValue<int>(out var code) => code,
            JsonValue v when int.TryParse(v.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) => code,
            _ => StatusCodes.Status500InternalServerError,
        };

        if (Property(res, "headers") is JsonObject headers)
        {
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value?.ToString();
            }
        }

        var body = Property(res, "body");
        var text = body switch
        {
            null => string.Empty,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => body.ToJsonString(),
        };
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    private static JsonNode? Property(JsonObject value, string name) =>
        value.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static async Task<IResult> RunAsync(string name, HttpContext context, ScriptRoot scriptRoot, IReadOnlyDictionary<string, RunFunction> runnable, RunnerEvents events)
    {
        if (LocalAdminGuard.Refusal(context.Request) is { } refusal)
        {
            return TypedResults.Problem(refusal);
        }

        if (!runnable.TryGetValue(name, out var run))
        {
            var known = scriptRoot.Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            return known is null
                ? TypedResults.Problem(title: $"There is no function named '{name}'", statusCode: StatusCodes.Status404NotFound)
                : TypedResults.Problem(
                    title: $"'{known.Name}' cannot be run from here",
                    detail: known.Trigger.Type == "httpTrigger" ? "It is HTTP-triggered: call its route." : "It is disabled: see the runner's function list for why.",
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
            _ = Task.Run(() => run(input, CancellationToken.None));
            return TypedResults.Accepted((string?)null);
        }

        var outcome = await run(input, context.RequestAborted).ConfigureAwait(false);
        var result = new JsonObject
        {
            ["function"] = name,
            ["outcome"] = outcome.Succeeded ? "succeeded" : "failed",
            ["durationMs"] = Math.Round(outcome.Duration.TotalMilliseconds, 1),
            ["error"] = outcome.Error,
        };
        return TypedResults.Json(result, statusCode: outcome.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError);
    }

    private static JsonArray FunctionList(ScriptRoot scriptRoot) =>
        [.. scriptRoot.Functions.Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["trigger"] = f.Trigger.Type,
            ["bindings"] = new JsonArray([.. f.Bindings.Select(b => JsonNode.Parse(b.Raw.GetRawText()))]),
        })];
}
