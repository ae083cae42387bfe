using System.Globalization;
using Rtgf.Pipeline.Waitlist;

namespace Rtgf.Functions.Waitlist;

/// <summary>
/// The waitlist settings (docs/spec/waitlist.md): <c>Waitlist:LinkKey</c> (the key that signs links, base64 of at least 32
/// bytes; a Key Vault reference in Azure, a generated development key in the local runner) and
/// <c>Waitlist:PreviousLinkKeys</c> (keys that still verify, after a rotation), <c>Waitlist:IdKey</c> (the stable pepper
/// of lead ids and counter keys), <c>Waitlist:LinkBaseUrl</c> (where the links in the emails point;
/// <c>Rtgf:PublicBaseUrl</c> when unset), and the hourly limits <c>Waitlist:SignupsPerAddressPerHour</c> (default 3),
/// <c>Waitlist:SignupsPerIpPerHour</c> (default 10), <c>Waitlist:EmailsPerDomainPerHour</c> (default 50) and
/// <c>Waitlist:EmailsPerHour</c> (default 500). A missing or bad setting never throws: it becomes <see cref="Problem"/>
/// (the routes answer 503 naming it), so the app and its other routes still start.
/// </summary>
public sealed class WaitlistSettings
{
    public const string LinkBaseUrlSetting = "Waitlist:LinkBaseUrl";
    public const string PerAddressSetting = "Waitlist:SignupsPerAddressPerHour";
    public const string PerIpSetting = "Waitlist:SignupsPerIpPerHour";
    public const string PerDomainSetting = "Waitlist:EmailsPerDomainPerHour";
    public const string GlobalSetting = "Waitlist:EmailsPerHour";
    public const int DefaultPerAddress = 3;
    public const int DefaultPerIp = 10;
    public const int DefaultPerDomain = 50;
    public const int DefaultGlobal = 500;

    private WaitlistSettings(MagicLinks? links, WaitlistIds? ids, Uri? linkBase, string linkProblem, string problem, WaitlistCaps caps)
    {
        Links = links;
        Ids = ids;
        LinkBase = linkBase;
        LinkProblem = linkProblem;
        Problem = problem;
        Caps = caps;
    }

    /// <summary>The link signer and key ring, or null when a link key setting is missing or unusable (<see cref="LinkProblem"/> says which).</summary>
    public MagicLinks? Links { get; }

    /// <summary>The id deriver, or null when the id key setting is missing or unusable.</summary>
    public WaitlistIds? Ids { get; }

    /// <summary>The links' base (ends with '/'), or null when neither URL setting is set or it is not an http(s) URL.</summary>
    public Uri? LinkBase { get; }

    /// <summary>Why links cannot be checked (empty when they can); names settings, never their values.</summary>
    public string LinkProblem { get; }

    /// <summary>Why sign-ups cannot be taken (empty when they can); names settings, never their values.</summary>
    public string Problem { get; }

    public WaitlistCaps Caps { get; }

    public static WaitlistSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var links = MagicLinks.FromSettings(configuration[MagicLinks.Setting], configuration[MagicLinks.PreviousSetting], out var linkProblem);
        if (linkProblem.Length > 0)
        {
            problems.Add(linkProblem);
        }

        var ids = WaitlistIds.FromSetting(configuration[WaitlistIds.Setting], out var idProblem);
        if (idProblem.Length > 0)
        {
            problems.Add(idProblem);
        }

        var baseText = configuration[LinkBaseUrlSetting] is { Length: > 0 } configured ? configured : configuration["Rtgf:PublicBaseUrl"];
        Uri? linkBase = null;
        if (string.IsNullOrWhiteSpace(baseText))
        {
            problems.Add($"The setting {LinkBaseUrlSetting} (or Rtgf:PublicBaseUrl) is missing: waitlist links have nowhere to point.");
        }
        else if (!Uri.TryCreate(baseText.EndsWith('/') ? baseText : baseText + "/", UriKind.Absolute, out linkBase) || linkBase.Scheme is not ("https" or "http"))
        {
            linkBase = null;
            problems.Add($"The setting {LinkBaseUrlSetting} (or Rtgf:PublicBaseUrl) must be an absolute http(s) URL: waitlist links have nowhere to point.");
        }

        var caps = new WaitlistCaps(
            Number(configuration, PerIpSetting, DefaultPerIp, problems),
            Number(configuration, PerAddressSetting, DefaultPerAddress, problems),
            Number(configuration, PerDomainSetting, DefaultPerDomain, problems),
            Number(configuration, GlobalSetting, DefaultGlobal, problems));
        return new WaitlistSettings(links, ids, linkBase, linkProblem, string.Join(' ', problems), caps);
    }

    private static int Number(IConfiguration configuration, string name, int fallback, List<string> problems)
    {
        var text = configuration[name];
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        problems.Add($"The setting {name} must be a positive whole number.");
        return fallback;
    }
}

/// <summary>The hourly limits: sign-ups per client address and per mailbox, waitlist emails per domain and in all.</summary>
public sealed record WaitlistCaps(int PerIp, int PerAddress, int PerDomain, int Global);
