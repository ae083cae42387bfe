using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Tga;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The connectors' endpoints and credentials from configuration (<c>Upstream:Tga:BaseUrl</c>, <c>Upstream:Tga:UserName</c>,
/// <c>Upstream:Tga:Password</c>, <c>Upstream:Cricos:BaseUrl</c>, <c>Upstream:Teqsa:BaseUrl</c>, <c>Upstream:Dfat:BaseUrl</c>,
/// optional <c>Upstream:Cricos:ZipPath</c>, <c>Upstream:Teqsa:RegisterPath</c>, <c>Upstream:Dfat:XlsxPath</c>).
/// A missing setting fails the worker that needs it with the setting's name; secrets are never part of a message.
/// </summary>
public static class UpstreamSettings
{
    public const string DefaultCricosZipPath = "data/dataset/e5ae2a58-700f-4748-b6bd-f86eaf33f4e2/resource/6a5ab4b1-7f0e-4d8b-9a43-0c6e2f0b11aa/download/cricos-providers-courses-and-locations.zip";
    public const string DefaultTeqsaRegisterPath = "national-register";
    public const string DefaultDfatXlsxPath = "sites/default/files/regulation8_consolidated.xlsx";

    public static TgaSoapOptions Tga(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var options = new TgaSoapOptions();
        options.Outbound.BaseAddress = BaseUrl(setting, "Upstream:Tga:BaseUrl");
        options.Outbound.Credentials = new UpstreamCredentials
        {
            UserName = Required(setting, "Upstream:Tga:UserName"),
            Password = Required(setting, "Upstream:Tga:Password"),
        };
        return options;
    }

    public static OutboundOptions Feed(Func<string, string?> setting, string name, string key) =>
        new() { Name = name, BaseAddress = BaseUrl(setting, key) };

    public static Uri BaseUrl(Func<string, string?> setting, string key)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var text = Required(setting, key);
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"The setting '{key}' is not an absolute http(s) URL.");
        }

        return uri;
    }

    public static string Optional(Func<string, string?> setting, string key, string fallback)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return setting(key) is { Length: > 0 } value ? value.TrimStart('/') : fallback;
    }

    private static string Required(Func<string, string?> setting, string key) =>
        setting(key) is { Length: > 0 } value ? value : throw new InvalidOperationException($"The setting '{key}' is not set (environment: {key.Replace(":", "__", StringComparison.Ordinal)}).");
}
