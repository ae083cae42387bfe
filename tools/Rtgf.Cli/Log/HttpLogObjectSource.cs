using System.Net;
using Rtgf.Transparency.Storage;

namespace Rtgf.Cli.Log;

/// <summary>A log served over HTTP with the tlog-tiles paths under a base URL; 404 means "no such object".</summary>
internal sealed class HttpLogObjectSource(HttpClient http, Uri baseUri) : ILogObjectSource
{
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(baseUri, path);
        using var response = await http.GetAsync(uri, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }
}
