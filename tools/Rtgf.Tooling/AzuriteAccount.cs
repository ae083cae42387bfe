using System.Globalization;

namespace Rtgf.Tooling;

/// <summary>
/// Azurite's development account at explicit endpoints (Azurite may listen on any port). Its key is the public, well-known
/// development key every emulator ships; it never names an Azure account.
/// </summary>
public sealed record AzuriteAccount(Uri BlobEndpoint, Uri QueueEndpoint, Uri TableEndpoint)
{
    public const string AccountName = "devstoreaccount1";

    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The explicit-endpoint connection string the SDK clients and the app take.</summary>
    public string ConnectionString => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol={BlobEndpoint.Scheme};AccountName={AccountName};AccountKey={DevelopmentKey};BlobEndpoint={BlobEndpoint.AbsoluteUri.TrimEnd('/')};QueueEndpoint={QueueEndpoint.AbsoluteUri.TrimEnd('/')};TableEndpoint={TableEndpoint.AbsoluteUri.TrimEnd('/')};");
}
