using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.Cricos;

/// <summary>Downloads the CRICOS bulk ZIP (URL from configuration, e.g. the CKAN resource's <c>url</c>) through the outbound pipeline.</summary>
public sealed class CricosClient(HttpClient http)
{
    public async Task<CricosSnapshot> GetSnapshotAsync(Uri zipUrl, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, zipUrl).WithOperation("cricos-zip");
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return CricosZipParser.Parse(stream);
    }
}
