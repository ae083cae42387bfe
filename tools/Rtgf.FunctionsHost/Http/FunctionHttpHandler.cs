using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Invocation;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Http;

/// <summary>
/// What the host does with an HTTP request for a worker that uses the ASP.NET Core integration (host
/// <c>DefaultHttpProxyService</c>): route it to a function (the host's own 404/405 otherwise), stamp it with
/// <c>x-ms-invocation-id</c> (always overwritten: a client-sent value must not pair with another invocation), forward it to
/// the worker's HTTP server and, at the same time, send the <c>InvocationRequest</c> with an empty <c>RpcHttp</c> and the
/// route values and query in its trigger metadata. The client gets the worker's own response. The inner handler reaches
/// the worker (sockets to its <c>HttpUri</c>, or a test server in process).
/// </summary>
public sealed class FunctionHttpHandler : DelegatingHandler
{
    public const string InvocationIdHeader = "x-ms-invocation-id";

    private readonly WorkerChannel _worker;
    private readonly HttpRouter _router;
    private readonly Uri _workerUri;
    private readonly TimeProvider _time;
    private readonly Action<HttpInvocation>? _completed;

    public FunctionHttpHandler(WorkerChannel worker, HttpRouter router, Uri workerUri, HttpMessageHandler inner, TimeProvider time, Action<HttpInvocation>? completed = null)
        : base(inner)
    {
        _worker = worker ?? throw new ArgumentNullException(nameof(worker));
        _router = router ?? throw new ArgumentNullException(nameof(router));
        _workerUri = workerUri ?? throw new ArgumentNullException(nameof(workerUri));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _completed = completed;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var path = Uri.UnescapeDataString(target.AbsolutePath);
        var match = _router.Match(request.Method.Method, path);
        if (match?.Function is not { } function)
        {
            return match is null
                ? Problem(HttpStatusCode.NotFound, "No function serves this path", $"No HTTP function's route matches {path}.", request)
                : MethodNotAllowed(match, request);
        }

        var invocationId = InvocationIds.New();
        request.Headers.Remove(InvocationIdHeader);
        request.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);
        request.RequestUri = new Uri(_workerUri, target.PathAndQuery);

        var invocation = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.Id,
            TraceContext = new RpcTraceContext { TraceParent = Activity.Current?.Id ?? Header(request, "traceparent") ?? string.Empty },
        };
        invocation.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { Http = new RpcHttp() } });
        foreach (var (name, value) in match.Values)
        {
            if (value is not null)
            {
                invocation.TriggerMetadata[name] = new TypedData { String = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) };
            }
        }

        var query = QueryHelpers(target.Query);
        foreach (var (name, value) in query)
        {
            invocation.TriggerMetadata.TryAdd(name, new TypedData { String = value });
        }

        invocation.TriggerMetadata["Query"] = new TypedData { Json = JsonSerializer.Serialize(query, FunctionsHostJson.Default.DictionaryStringString) };

        var started = _time.GetTimestamp();
        var invoked = _worker.InvokeAsync(invocation, cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await ForwardAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _ = invoked.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }

        if (_completed is { } completed)
        {
            var status = (int)response.StatusCode;
            _ = invoked.ContinueWith(
                t => completed(new HttpInvocation(function.Name, invocationId, request.Method.Method, path, status, t.IsCompletedSuccessfully ? t.Result : null, _time.GetElapsedTime(started))),
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }

        return response;
    }

    /// <summary>
    /// Forwards, retrying a refused connection as the host does (DefaultHttpProxyService: up to 10 tries, 50-250 ms apart):
    /// the worker announces its HttpUri before its Kestrel listens, so the first request can arrive too early. A refused
    /// connection sent nothing, so the same request (body unread) can go again.
    /// </summary>
    private async Task<HttpResponseMessage> ForwardAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        const int Attempts = 10;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException exception) when (attempt < Attempts && exception.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused })
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 * attempt, 250)), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static Dictionary<string, string> QueryHelpers(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query))
        {
            values[key] = value.ToString();
        }

        return values;
    }

    private static HttpResponseMessage MethodNotAllowed(HttpMatch match, HttpRequestMessage request)
    {
        var response = Problem(HttpStatusCode.MethodNotAllowed, "Method not allowed", $"{request.Method.Method} is not accepted here; use {string.Join(", ", match.Allowed)}.", request);
        foreach (var method in match.Allowed)
        {
            response.Content.Headers.Allow.Add(method);
        }
        return response;
    }

    private static HttpResponseMessage Problem(HttpStatusCode status, string title, string detail, HttpRequestMessage request)
    {
        var problem = new ProblemDetails { Status = (int)status, Title = title, Detail = detail, Instance = request.RequestUri?.AbsolutePath };
        var body = JsonSerializer.SerializeToUtf8Bytes(problem, FunctionsHostJson.Default.ProblemDetails);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/problem+json") { CharSet = Encoding.UTF8.WebName };
        return new HttpResponseMessage(status) { Content = content, RequestMessage = request };
    }
}

/// <summary>One forwarded HTTP invocation, for the host's console line: the function, status, and the worker's own result.</summary>
public sealed record HttpInvocation(string Function, string InvocationId, string Method, string Path, int Status, InvocationResult? Result, TimeSpan Elapsed);
