using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.Sanctions;

/// <summary>Downloads DFAT's consolidated list (URL from configuration) through the outbound pipeline and parses it whole.</summary>
public sealed class DfatClient(HttpClient http)
{
    public async Task<SanctionsList> GetListAsync(Uri xlsxUrl, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, xlsxUrl).WithOperation("dfat-consolidated-list");
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return DfatConsolidatedListParser.Parse(stream);
    }
}
