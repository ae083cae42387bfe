using System.Globalization;
using Rtgf.Pipeline.Waitlist;

namespace Rtgf.Functions.Waitlist;

/// <summary>
/// The waitlist settings (docs/spec/waitlist.md): <c>Waitlist:LinkKey</c> (the links' HMAC key, base64 of at least 32
/// bytes; a Key Vault reference in Azure, a generated development key in the local runner), <c>Waitlist:LinkBaseUrl</c>
/// (where the links in the emails point; <c>Rtgf:PublicBaseUrl</c> when unset), and the hourly limits
/// <c>Waitlist:SignupsPerAddressPerHour</c> (default 3) and <c>Waitlist:SignupsPerIpPerHour</c> (default 10).
/// </summary>
public sealed class WaitlistSettings
{
    public const string LinkBaseUrlSetting = "Waitlist:LinkBaseUrl";
    public const string PerAddressSetting = "Waitlist:SignupsPerAddressPerHour";
    public const string PerIpSetting = "Waitlist:SignupsPerIpPerHour";
    public const int DefaultPerAddress = 3;
    public const int DefaultPerIp = 10;

    private WaitlistSettings(MagicLinks? links, Uri? linkBase, string problem, int perAddress, int perIp)
    {
        Links = links;
        LinkBase = linkBase;
        Problem = problem;
        SignupsPerAddressPerHour = perAddress;
        SignupsPerIpPerHour = perIp;
    }

    /// <summary>The link signer, or null when the key setting is missing or unusable (<see cref="Problem"/> says which).</summary>
    public MagicLinks? Links { get; }

    /// <summary>The links' base (ends with '/'), or null when neither URL setting is set.</summary>
    public Uri? LinkBase { get; }

    /// <summary>Why sign-ups cannot send links (empty when they can); names settings, never their values.</summary>
    public string Problem { get; }

    public int SignupsPerAddressPerHour { get; }

    public int SignupsPerIpPerHour { get; }

    public static WaitlistSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var links = MagicLinks.FromSetting(configuration[MagicLinks.Setting], out var problem);
        var baseText = configuration[LinkBaseUrlSetting] is { Length: > 0 } configured ? configured : configuration["Rtgf:PublicBaseUrl"];
        Uri? linkBase = null;
        if (!string.IsNullOrWhiteSpace(baseText))
        {
            if (!Uri.TryCreate(baseText.EndsWith('/') ? baseText : baseText + "/", UriKind.Absolute, out linkBase) || linkBase.Scheme is not ("https" or "http"))
            {
                throw new InvalidOperationException($"The setting {LinkBaseUrlSetting} must be an absolute http(s) URL (it is '{baseText}').");
            }
        }
        else if (problem.Length == 0)
        {
            problem = $"The setting {LinkBaseUrlSetting} (or Rtgf:PublicBaseUrl) is missing: waitlist links have nowhere to point.";
        }

        return new WaitlistSettings(links, linkBase, problem, Number(configuration, PerAddressSetting, DefaultPerAddress), Number(configuration, PerIpSetting, DefaultPerIp));
    }

    private static int Number(IConfiguration configuration, string name, int fallback) => configuration[name] switch
    {
        null => fallback,
        var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 => value,
        var text => throw new InvalidOperationException($"The setting {name} must be a positive whole number (it is '{text}')."),
    };
}
