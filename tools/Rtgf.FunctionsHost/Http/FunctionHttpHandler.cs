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
        // The worker reads trigger metadata into a case-insensitive dictionary: keys that differ only in case would make
        // every binding of the invocation throw. Route values win, then the host's own "Query", then query values.
        var metadata = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in match.Values)
        {
            if (value is not null)
            {
                metadata[name] = new TypedData { String = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) };
            }
        }

        var query = QueryHelpers(target.Query);
        metadata.TryAdd("Query", new TypedData { Json = JsonSerializer.Serialize(query, FunctionsHostJson.Default.DictionaryStringString) });
        foreach (var (name, value) in query)
        {
            metadata.TryAdd(name, new TypedData { String = value });
        }

        invocation.TriggerMetadata.Add(metadata);

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

        response = await SettleAsync(response, invoked, function.Name, invocationId, request, cancellationToken).ConfigureAwait(false);
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
    /// Pairs the worker's HTTP response with the invocation's outcome, as the host does: its HTTP pipeline awaits the
    /// invocation (FunctionInvocationMiddleware → ExecuteAsync; GrpcWorkerChannel.InvokeResponse fails it when the
    /// InvocationResponse says so) and its ExceptionMiddleware turns the failure into a 500 when the response has not
    /// started, or aborts it when it has. The worker's ASP.NET Core side completes the response of a throwing function as
    /// an empty 200. So: a response with no body waits for the invocation and becomes a 500 problem if it failed; a body
    /// streams through untouched and unbuffered, and its end waits for the invocation, cutting the response off (an
    /// IOException) if it failed. A body of unknown length is told from an empty one by its first read (the host's
    /// forwarder, YARP, also holds the response headers until the first body bytes).
    /// </summary>
    private static async Task<HttpResponseMessage> SettleAsync(HttpResponseMessage response, Task<InvocationResult> invoked, string function, string invocationId, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = response.Content;
        var empty = request.Method == HttpMethod.Head
            || response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified
            || content.Headers.ContentLength == 0;
        var prefix = ReadOnlyMemory<byte>.Empty;
        Stream? body = null;
        if (!empty)
        {
            body = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (content.Headers.ContentLength is null)
            {
                var first = new byte[16 * 1024];
                var read = await body.ReadAsync(first, cancellationToken).ConfigureAwait(false);
                prefix = first.AsMemory(0, read);
                empty = read == 0;
            }
        }

        if (empty)
        {
            if (!await SucceededAsync(invoked).ConfigureAwait(false))
            {
                response.Dispose();
                return Failed(function, invocationId, request);
            }

            return response;
        }

#pragma warning disable CA2000 // The response owns the new content, which owns the worker's content.
        var settled = new StreamContent(new InvocationBoundStream(content, body!, prefix, invoked, function, invocationId));
#pragma warning restore CA2000
        foreach (var (name, values) in content.Headers)
        {
            settled.Headers.TryAddWithoutValidation(name, values);
        }

        response.Content = settled;
        return response;
    }

    /// <summary>Whether the invocation succeeded; a worker gone before answering is a failure.</summary>
    internal static async Task<bool> SucceededAsync(Task<InvocationResult> invoked)
    {
        try
        {
            return (await invoked.ConfigureAwait(false)).Succeeded;
        }
        catch (WorkerUnavailableException)
        {
            return false;
        }
    }

    /// <summary>
    /// The host answers a failed invocation whose response has not started with a bare 500 (ExceptionMiddleware); this
    /// host gives the same status as Problem Details with the invocation id, to find the error in the host's log. The
    /// exception itself stays there: a client must not see internals.
    /// </summary>
    private static HttpResponseMessage Failed(string function, string invocationId, HttpRequestMessage request) =>
        Problem(
            HttpStatusCode.InternalServerError,
            "The function failed",
            $"Function '{function}' failed (invocation {invocationId}); its error is in the host's log.",
            request,
            invocationId);

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

    private static HttpResponseMessage Problem(HttpStatusCode status, string title, string detail, HttpRequestMessage request, string? invocationId = null)
    {
        var problem = new ProblemDetails { Status = (int)status, Title = title, Detail = detail, Instance = request.RequestUri?.AbsolutePath };
        if (invocationId is not null)
        {
            problem.Extensions["invocationId"] = invocationId;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(problem, FunctionsHostJson.Default.ProblemDetails);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/problem+json") { CharSet = Encoding.UTF8.WebName };
        return new HttpResponseMessage(status) { Content = content, RequestMessage = request };
    }
}

/// <summary>
/// The worker's response body, passed through as it arrives (after the bytes already read to tell it from an empty one);
/// its end waits for the invocation's outcome and, if the invocation failed, cuts the response off with an IOException
/// instead of ending it: a client must not take a body from a failed function for a whole one.
/// </summary>
internal sealed class InvocationBoundStream(HttpContent owner, Stream inner, ReadOnlyMemory<byte> prefix, Task<InvocationResult> invoked, string function, string invocationId) : Stream
{
    private ReadOnlyMemory<byte> _prefix = prefix;
    private bool _settled;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakePrefix(buffer.Span) is var taken and > 0)
        {
            return taken;
        }

        var read = buffer.IsEmpty ? 0 : await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0 && !buffer.IsEmpty && !_settled)
        {
            _settled = true;
            if (!await FunctionHttpHandler.SucceededAsync(invoked).WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                throw Cut();
            }
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (TakePrefix(buffer) is var taken and > 0)
        {
            return taken;
        }

        var read = buffer.IsEmpty ? 0 : inner.Read(buffer);
        if (read == 0 && !buffer.IsEmpty && !_settled)
        {
            _settled = true;
            if (!FunctionHttpHandler.SucceededAsync(invoked).GetAwaiter().GetResult())
            {
                throw Cut();
            }
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int TakePrefix(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..count].CopyTo(buffer);
        _prefix = _prefix[count..];
        return count;
    }

    private IOException Cut() =>
        new($"Function '{function}' failed (invocation {invocationId}) after its response started; the response is cut off.");
}

/// <summary>One forwarded HTTP invocation, for the host's console line: the function, status, and the worker's own result.</summary>
public sealed record HttpInvocation(string Function, string InvocationId, string Method, string Path, int Status, InvocationResult? Result, TimeSpan Elapsed);
