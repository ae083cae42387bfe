using Rtgf.Ingestion.Abs;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Tga;
using Rtgf.Pipeline.Configuration;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The connectors' endpoints and credentials from configuration (<c>Upstream:Tga:BaseUrl</c>, <c>Upstream:Tga:UserName</c>,
/// <c>Upstream:Tga:Password</c>, <c>Upstream:Cricos:BaseUrl</c>, <c>Upstream:Teqsa:BaseUrl</c>, <c>Upstream:Dfat:BaseUrl</c>, <c>Upstream:Abs:BaseUrl</c> (with <c>Upstream:Abs:Series</c> and <c>Upstream:Abs:StartPeriod</c>, see <see cref="AbsSeries"/>),
/// optional <c>Upstream:Tga:OrganisationPath</c> (default <see cref="TgaSoapOptions.DefaultOrganisationPath"/>, the versioned
/// service that carries the registration status), <c>Upstream:Cricos:ZipPath</c>, <c>Upstream:Teqsa:RegisterPath</c>, <c>Upstream:Dfat:XlsxPath</c>; JSA's
/// Occupation Shortage List and Internet Vacancy Index: <c>Upstream:Jsa:BaseUrl</c>, optional <c>Upstream:Jsa:OslPagePath</c> and
/// <c>Upstream:Jsa:IviPagePath</c> (default <see cref="DefaultIviPagePath"/>)).
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
    public const string DefaultJsaOslPagePath = "data/occupation-shortage";

    /// <summary>
    /// The ABS series the <c>abs</c> source fetches (<c>Upstream:Abs:Series</c>, <c>;</c>-separated <c>dataflow/key</c>): employed
    /// persons, participation and unemployment rates (persons, 15+, seasonally adjusted) and the estimated resident
    /// population, for each state and Australia.
    /// </summary>
    public const string DefaultAbsSeries = "ABS,LF,1.0.0/M3+M12+M13.3.1599.20.1+2+3+4+5+6+7+8+AUS.M;ABS,ERP_Q,1.0.0/1.3.TOT.1+2+3+4+5+6+7+8+AUS.Q";

    /// <summary>The fixed first period every ABS query asks for (<c>Upstream:Abs:StartPeriod</c>): the whole series from there, each run.</summary>
    public const string DefaultAbsStartPeriod = "2015";

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

    /// <summary>
    /// JSA's site (<c>Upstream:Jsa:BaseUrl</c>), one upstream named <c>jsa</c> for both the Occupation Shortage List and the
    /// Internet Vacancy Index: the outbound factory keeps one pipeline (limits, breaker, log name) per host, so two names for
    /// the host would leave whichever client came first naming both.
    /// </summary>
    public static OutboundOptions Jsa(Func<string, string?> setting) => Feed(setting, "jsa", "Upstream:Jsa:BaseUrl");

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

    /// <summary>
    /// The geocoder's requests per second when <c>Upstream:Geocoder:RequestsPerSecond</c> is unset: headroom under Google's default
    /// per-project limit of 50, because the provider counts arrivals and network jitter can bunch requests sent evenly.
    /// </summary>
    public const int DefaultGeocoderRequestsPerSecond = 45;

    /// <summary>
    /// The geocoder (<c>Upstream:Geocoder:BaseUrl</c>, e.g. <c>https://maps.googleapis.com/</c>) with its per-host rate limit from
    /// <c>Upstream:Geocoder:RequestsPerSecond</c> (default <see cref="DefaultGeocoderRequestsPerSecond"/>): at most n requests in
    /// any sliding second, counted when each is sent (after its concurrency slot).
    /// </summary>
    public static OutboundOptions Geocoder(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        const string Key = "Upstream:Geocoder:RequestsPerSecond";
        var text = setting(Key);
        var rate = text is { Length: > 0 }
            ? int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1000 ? n : throw new InvalidOperationException($"The setting '{Key}' is '{text}': use a whole number from 1 to 1000.")
            : DefaultGeocoderRequestsPerSecond;
        var options = Feed(setting, "geocoder", "Upstream:Geocoder:BaseUrl");
        options.RateLimitPermits = rate;
        options.RateLimitPeriod = TimeSpan.FromSeconds(1);
        options.RateLimitQueue = 1000;
        options.MaxConcurrency = 4;
        return options;
    }

    /// <summary>The geocoder's API key (<c>Upstream:Geocoder:ApiKey</c>; in Azure a Key Vault reference). Never logged.</summary>
    public static string GeocoderApiKey(Func<string, string?> setting) => Secret(setting, "Upstream:Geocoder:ApiKey");

    /// <summary>An optional upstream (the docs and trust proxies): null when its base URL is not set.</summary>
    public static OutboundOptions? OptionalFeed(Func<string, string?> setting, string name, string key)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return setting(key) is { Length: > 0 } ? Feed(setting, name, key) : null;
    }

    /// <summary>The configured ABS queries (<see cref="DefaultAbsSeries"/> when unset); a malformed entry names the setting.</summary>
    public static IReadOnlyList<AbsSeriesSelection> AbsSeries(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        const string Key = "Upstream:Abs:Series";
        var text = setting(Key) is { Length: > 0 } value ? value : DefaultAbsSeries;
        var selections = new List<AbsSeriesSelection>();
        foreach (var entry in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == entry.Length - 1 || entry.IndexOf('/', slash + 1) >= 0)
            {
                throw new InvalidOperationException($"The setting '{Key}' has '{entry}': each entry is dataflow/key (e.g. ABS,LF,1.0.0/M13.3.1599.20.1.M), entries separated by ';'.");
            }

            var selection = new AbsSeriesSelection(entry[..slash], entry[(slash + 1)..]);
            try
            {
                // What the jsa-proxy translation would refuse at every run is refused here, once, naming the setting.
                _ = JsaProxyTranslation.Translate(new Uri("http://abs.invalid/" + JsaProxyTranslation.Endpoint), AbsDataClient.Query(selection, DefaultAbsStartPeriod).ToJson());
            }
            catch (ContractTranslationException e)
            {
                throw new InvalidOperationException($"The setting '{Key}' has '{entry}', which the jsa-proxy contract cannot map: {e.Message}", e);
            }

            selections.Add(selection);
        }

        return selections.Count > 0 ? selections : throw new InvalidOperationException($"The setting '{Key}' names no series.");
    }

    /// <summary>The ABS queries' fixed start period (<see cref="DefaultAbsStartPeriod"/> when unset): YYYY, YYYY-MM or YYYY-Qn.</summary>
    public static string AbsStartPeriod(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        const string Key = "Upstream:Abs:StartPeriod";
        var text = setting(Key) is { Length: > 0 } value ? value.Trim() : DefaultAbsStartPeriod;
        var valid = text.Length == 4 ? text.All(char.IsAsciiDigit)
            : text.Length == 7 && text[..4].All(char.IsAsciiDigit) && (text[4..6] == "-Q" ? text[6] is >= '1' and <= '4' : text[4] == '-' && text[5..] is "01" or "02" or "03" or "04" or "05" or "06" or "07" or "08" or "09" or "10" or "11" or "12");
        return valid ? text : throw new InvalidOperationException($"The setting '{Key}' is '{text}': use YYYY, YYYY-MM or YYYY-Qn.");
    }
}
