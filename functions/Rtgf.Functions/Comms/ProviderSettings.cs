using System.Globalization;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Functions.Comms;

/// <summary>Reading a comms provider's settings: its base URL and the outbound pipeline's options for it.</summary>
internal static class ProviderSettings
{
    public static Uri ApiBase(IConfiguration configuration, string setting, string fallback) => configuration[setting] is { Length: > 0 } configured
        ? Uri.TryCreate(configured.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri
            : throw new InvalidOperationException($"The setting {setting} must be an absolute http(s) URL (it is '{configured}').")
        : new Uri(fallback);

    /// <summary>The outbound options of a provider: retries and their delay from <c>{section}:MaxRetries</c> and <c>{section}:RetryDelayMilliseconds</c>.</summary>
    public static OutboundOptions Outbound(IConfiguration configuration, string section, string name, Uri apiBase)
    {
        var delay = TimeSpan.FromMilliseconds(Number(configuration, section + ":RetryDelayMilliseconds", 500, 0));
        return new OutboundOptions
        {
            Name = name,
            BaseAddress = apiBase,
            AttemptTimeout = TimeSpan.FromSeconds(20),
            TotalTimeout = TimeSpan.FromSeconds(60),
            MaxRetries = (int)Number(configuration, section + ":MaxRetries", 2, 0),
            RetryBaseDelay = delay,
            RetryMaxDelay = delay * 10,
            MaxRetryAfter = delay * 10,
            MaxConcurrency = 4,
        };
    }

    private static long Number(IConfiguration configuration, string name, long fallback, long min) => configuration[name] switch
    {
        null or "" => fallback,
        var text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= 60_000 => value,
        var text => throw new InvalidOperationException($"The setting {name} must be a whole number from {min} to 60000 (it is '{text}')."),
    };
}
