using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Tga;
using Rtgf.Pipeline.Configuration;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The connectors' endpoints and credentials from configuration (<c>Upstream:Tga:BaseUrl</c>, <c>Upstream:Tga:UserName</c>,
/// <c>Upstream:Tga:Password</c>, <c>Upstream:Cricos:BaseUrl</c>, <c>Upstream:Teqsa:BaseUrl</c>, <c>Upstream:Dfat:BaseUrl</c>,
/// optional <c>Upstream:Tga:OrganisationPath</c> (default <see cref="TgaSoapOptions.DefaultOrganisationPath"/>, the versioned
/// service that carries the registration status), <c>Upstream:Cricos:ZipPath</c>, <c>Upstream:Teqsa:RegisterPath</c>, <c>Upstream:Dfat:XlsxPath</c>).
/// A missing setting fails the worker that needs it with the setting's name; secrets are never part of a message.
/// An upstream that carries credentials (TGA) needs an https base URL; <c>Upstream:AllowInsecureHttp=true</c> lets the
/// local simulator use http and is refused outside the Development environment and in Azure (<see cref="DevelopmentOnly"/>). In Azure the password setting is a Key Vault reference
/// (<c>@Microsoft.KeyVault(SecretUri=…)</c>) that the platform resolves before the app reads it.
/// </summary>
public static class UpstreamSettings
{
    /// <summary>The development exception: <c>true</c> lets credentials go to an http upstream (the local simulator); Development only, never in Azure.</summary>
    public const string AllowInsecureHttpSetting = "Upstream:AllowInsecureHttp";

    public const string DefaultCricosZipPath = "data/dataset/e5ae2a58-700f-4748-b6bd-f86eaf33f4e2/resource/6a5ab4b1-7f0e-4d8b-9a43-0c6e2f0b11aa/download/cricos-providers-courses-and-locations.zip";
    public const string DefaultTeqsaRegisterPath = "national-register";
    public const string DefaultDfatXlsxPath = "sites/default/files/regulation8_consolidated.xlsx";

    /// <summary>JSA's Internet Vacancy Index landing page, relative to <c>Upstream:Jsa:BaseUrl</c> (<c>Upstream:Jsa:IviPagePath</c>).</summary>
    public const string DefaultIviPagePath = "data/internet-vacancy-index";

    private const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(";

    public static TgaSoapOptions Tga(Func<string, string?> setting, string? hostEnvironmentName)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var options = new TgaSoapOptions();
        options.Outbound.BaseAddress = CredentialBaseUrl(setting, hostEnvironmentName, "Upstream:Tga:BaseUrl", "the TGA credentials");
        options.Outbound.Credentials = new UpstreamCredentials
        {
            UserName = Required(setting, "Upstream:Tga:UserName"),
            Password = Secret(setting, "Upstream:Tga:Password"),
        };
        options.OrganisationPath = Optional(setting, "Upstream:Tga:OrganisationPath", TgaSoapOptions.DefaultOrganisationPath);
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

    /// <summary>The base URL of an upstream that carries credentials: https, or http by the development exception (<see cref="DevelopmentOnly"/>).</summary>
    private static Uri CredentialBaseUrl(Func<string, string?> setting, string? hostEnvironmentName, string key, string credentials)
    {
        var uri = BaseUrl(setting, key);
        var allowHttp = string.Equals(setting(AllowInsecureHttpSetting)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        if (allowHttp)
        {
            DevelopmentOnly.Ensure(setting, hostEnvironmentName, AllowInsecureHttpSetting, "upstream credentials travel only over https");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !allowHttp)
        {
            throw new InvalidOperationException(
                $"The setting '{key}' must be an https URL: {credentials} would cross the network in clear text over http (only the local simulator may use http, with {AllowInsecureHttpSetting}=true).");
        }

        return uri;
    }

    /// <summary>A secret; an unresolved Key Vault reference (the platform hands the reference text through) is named, not used.</summary>
    private static string Secret(Func<string, string?> setting, string key)
    {
        var value = Required(setting, key);
        if (value.TrimStart().StartsWith(KeyVaultReferencePrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"The setting '{key}' is a Key Vault reference the platform did not resolve: check the SecretUri and that the app's managed identity may read the secret (docs/runbooks/upstream-credentials.md).");
        }

        return value;
    }

    public static string Optional(Func<string, string?> setting, string key, string fallback)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return setting(key) is { Length: > 0 } value ? value.TrimStart('/') : fallback;
    }

    private static string Required(Func<string, string?> setting, string key) =>
        setting(key) is { Length: > 0 } value ? value : throw new InvalidOperationException($"The setting '{key}' is not set (environment: {key.Replace(":", "__", StringComparison.Ordinal)}).");
}
