using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Rtgf.Functions.Access;
using Rtgf.Functions.Functions;
using Rtgf.Pipeline.Operations.Traffic;

namespace Rtgf.Functions.Traffic;

/// <summary>
/// Records every HTTP invocation for the traffic log (docs/spec/operations.md#traffic). It runs outside the problem and
/// access middleware, so it sees the status the client got (a refusal, a Problem, a 500) and the caller the access
/// middleware accepted (<see cref="ApiCaller"/>). It keeps the function's route template, never the path as sent, and
/// reads no header, query value or body: a key, token or secret has no way into a record. Anonymous callers are a keyed
/// hash of their address and the UTC day (<c>anon-…</c>; the API key hash key, so it cannot be reversed by trying every
/// address, and it links no client across days). The record goes to <see cref="TrafficRecorder"/>, which never waits.
/// </summary>
internal sealed class TrafficMiddleware : IFunctionsWorkerMiddleware
{
    private readonly Dictionary<string, string> _routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly TrafficRecorder _recorder;
    private readonly ApiKeyHashing _hashing;
    private readonly TimeProvider _time;

    public TrafficMiddleware(FunctionIndex index, TrafficRecorder recorder, ApiKeyHashing hashing, TimeProvider time)
    {
        _recorder = recorder;
        _hashing = hashing;
        _time = time;
        foreach (var function in index.Functions.Where(f => f.Route is not null))
        {
            _routes[function.Name] = function.Route!;
        }
    }

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (!_recorder.Enabled || !_routes.TryGetValue(context.FunctionDefinition.Name, out var route) || context.GetHttpContext() is not { } http)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var at = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        var body = http.Features.Get<IHttpResponseBodyFeature>();
        var counting = body is null ? null : new CountingResponseBody(body);
        if (counting is not null)
        {
            http.Features.Set<IHttpResponseBodyFeature>(counting);
        }

        var failed = true;
        try
        {
            await next(context).ConfigureAwait(false);
            failed = false;
        }
        finally
        {
            if (counting is not null)
            {
                http.Features.Set(counting.Inner);
            }

            // An exception that escaped the problem middleware: the client got a broken response, counted as a 500.
            var status = failed && !http.Response.HasStarted ? StatusCodes.Status500InternalServerError : http.Response.StatusCode;
            var caller = ApiCaller.Of(http);
            _recorder.Record(new TrafficRecord(
                at,
                route,
                http.Request.Method,
                status,
                (long)_time.GetElapsedTime(started).TotalMicroseconds,
                caller?.KeyId ?? Anonymous(http, at),
                caller?.Plan ?? TrafficRecord.AnonymousPlan,
                http.Request.ContentLength ?? 0,
                counting?.Written ?? 0));
        }
    }

    private string Anonymous(HttpContext http, DateTimeOffset at)
    {
        if (_hashing.Hasher is not { } hasher)
        {
            return TrafficRecord.AnonymousCaller;
        }

        var input = Encoding.UTF8.GetBytes("traffic\n" + TrafficDays.Day(at) + "\n" + ClientAddress.Of(http.Request));
        return "anon-" + Convert.ToHexStringLower(hasher.Hash(input).AsSpan(0, 8));
    }
}
