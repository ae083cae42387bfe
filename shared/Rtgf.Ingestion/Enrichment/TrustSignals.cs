using System.Globalization;
using System.Text.Json;

namespace Rtgf.Ingestion.Enrichment;

/// <summary>
/// The trust proxy's signals for one site (<c>GET {trust}/v1/signals?url=</c>, docs/spec/enrichment.md): whether it serves
/// https with HSTS, when its certificate expires, whether it publishes <c>/.well-known/security.txt</c>, and the ABN printed
/// on the page (11 digits, or null). An unavailable site is <see cref="Available"/> false with the problem's title.
/// </summary>
public sealed record TrustSignals(
    string Url,
    bool Available,
    string? Host = null,
    bool Https = false,
    bool Hsts = false,
    DateTimeOffset? CertificateExpiresAt = null,
    bool SecurityTxt = false,
    string? AbnOnPage = null,
    string? Problem = null)
{
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("abnOnPage", AbnOnPage);
        writer.WriteBoolean("available", Available);
        writer.WriteString("certificateExpiresAt", CertificateExpiresAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("host", Host);
        writer.WriteBoolean("hsts", Hsts);
        writer.WriteBoolean("https", Https);
        writer.WriteString("problem", Problem);
        writer.WriteBoolean("securityTxt", SecurityTxt);
        writer.WriteString("url", Url);
        writer.WriteEndObject();
    }
}
