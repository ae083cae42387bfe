namespace Rtgf.Pipeline.Configuration;

/// <summary>
/// Who this deployment is (configuration section <c>Rtgf</c>): the token issuer (<c>iss</c>), the public base URL that
/// status-list URIs and discovery links are built from, and the transparency log's origin line.
/// </summary>
public sealed class IssuerOptions
{
    public const string SectionName = "Rtgf";

    /// <summary>The <c>iss</c> of every token, e.g. <c>https://rtgf.example.gov.au</c>.</summary>
    public string Issuer { get; set; } = "http://localhost:7071";

    /// <summary>The base of public URLs (status lists, tokens); usually equal to <see cref="Issuer"/>.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:7071";

    /// <summary>The checkpoint origin line of the transparency log.</summary>
    public string LogOrigin { get; set; } = "localhost/rtgf/log";
}
