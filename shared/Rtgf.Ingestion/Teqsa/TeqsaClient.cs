using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Teqsa;

/// <summary>Reads the TEQSA National Register pages (base address from configuration) through the outbound pipeline.</summary>
public sealed class TeqsaClient(HttpClient http)
{
    /// <summary>Provider page paths linked from the register page (default <c>national-register</c>).</summary>
    public async Task<IReadOnlyList<string>> GetProviderLinksAsync(string registerPath = "national-register", CancellationToken cancellationToken = default) =>
        TeqsaRegisterParser.ParseProviderLinks(await GetAsync(registerPath, "teqsa-register", cancellationToken));

    /// <summary>One provider page, e.g. <c>national-register/provider/university-queensland</c>.</summary>
    public async Task<TeqsaProviderRecord> GetProviderAsync(string providerPath, CancellationToken cancellationToken = default) =>
        TeqsaRegisterParser.ParseProvider(await GetAsync(providerPath.TrimStart('/'), "teqsa-provider", cancellationToken), providerPath);

    private async Task<string> GetAsync(string path, string operation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path).WithOperation(operation);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
