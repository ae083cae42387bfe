using System.Net;
using Azure.Core.Pipeline;

namespace Rtgf.Testing;

/// <summary>A request as it left the client: method, URI, headers (request and content) and body.</summary>
public sealed record CapturedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"The request has no {name} header.");
}

/// <summary>
/// An <see cref="HttpMessageHandler"/> that records each request and answers from a script, so unit tests
/// see the exact wire request Azure.Core's <see cref="HttpClientTransport"/> produces, without a network.
/// </summary>
public sealed class ScriptedHttpHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _script = new();
    private readonly List<CapturedRequest> _requests = [];

    public IReadOnlyList<CapturedRequest> Requests => _requests;

    /// <summary>Answers the next request with <paramref name="status"/> and optional headers and body.</summary>
    public ScriptedHttpHandler Respond(HttpStatusCode status, string? body = null, params (string Name, string Value)[] headers)
    {
        _script.Enqueue(_ =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body ?? string.Empty) };
            response.Content.Headers.ContentType = null;
            foreach (var (name, value) in headers)
            {
                if (!response.Headers.TryAddWithoutValidation(name, value))
                {
                    response.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            return response;
        });
        return this;
    }

    /// <summary>Fails the next request at the transport (as a dropped connection would).</summary>
    public ScriptedHttpHandler Throw(Exception exception)
    {
        _script.Enqueue(_ => throw exception);
        return this;
    }

    /// <summary>An Azure.Core transport that sends through this handler.</summary>
    public HttpClientTransport Transport() => new(this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Join(",", header.Value);
        }

        var body = Array.Empty<byte>();
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key] = string.Join(",", header.Value);
            }

            body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (request.Content.Headers.ContentLength is { } length)
            {
                headers["Content-Length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        lock (_requests)
        {
            _requests.Add(new CapturedRequest(request.Method, request.RequestUri!, headers, body));
        }

        Func<HttpRequestMessage, HttpResponseMessage> next;
        lock (_script)
        {
            if (!_script.TryDequeue(out next!))
            {
                throw new InvalidOperationException($"No scripted response left for {request.Method} {request.RequestUri}.");
            }
        }

        var response = next(request);
        response.RequestMessage = request;
        return response;
    }
}
