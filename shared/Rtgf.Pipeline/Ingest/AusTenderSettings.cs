using Rtgf.Ingestion.AusTender;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// AusTender's two upstreams: the OCDS API (<c>Upstream:AusTender:BaseUrl</c>, e.g. <c>https://api.tenders.gov.au/</c>,
/// upstream <c>austender</c>, at most 4 requests a second: AusTender publishes no limit) and the approach-to-market RSS on
/// the public site (<c>Upstream:AusTender:AtmBaseUrl</c>, default <see cref="DefaultAtmBaseUrl"/>, plus
/// <c>Upstream:AusTender:AtmFeedPath</c>, default <see cref="AtmFeedClient.DefaultFeedPath"/>; upstream <c>austender-atm</c>):
/// another host, so its own origin guard and limits.
/// </summary>
public static class AusTenderSettings
{
    public const string BaseUrlSetting = "Upstream:AusTender:BaseUrl";
    public const string AtmBaseUrlSetting = "Upstream:AusTender:AtmBaseUrl";
    public const string AtmFeedPathSetting = "Upstream:AusTender:AtmFeedPath";
    public const string DefaultAtmBaseUrl = "https://www.tenders.gov.au/";

    public static OutboundOptions Ocds(Func<string, string?> setting)
    {
        var options = UpstreamSettings.Feed(setting, "austender", BaseUrlSetting);
        options.RateLimitPermits = 4;
        return options;
    }

    public static OutboundOptions Atm(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return new OutboundOptions { Name = "austender-atm", BaseAddress = UpstreamSettings.BaseUrl(key => key == AtmBaseUrlSetting ? setting(key) ?? DefaultAtmBaseUrl : setting(key), AtmBaseUrlSetting) };
    }

    public static Uri AtmFeedUrl(Func<string, string?> setting) =>
        new(Atm(setting).BaseAddress!, UpstreamSettings.Optional(setting, AtmFeedPathSetting, AtmFeedClient.DefaultFeedPath));
}
