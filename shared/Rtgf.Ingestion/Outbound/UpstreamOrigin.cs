namespace Rtgf.Ingestion.Outbound;

/// <summary>
/// The configured upstream's origin (scheme, host and port of its base address), and the one guard for every URL an
/// upstream hands us (a page's links, a pager's <c>next</c>, a redirect's <c>Location</c>, a resource URL): relative
/// links and links on this origin are followed, anything else is refused with an <see cref="UpstreamOriginException"/>
/// and never fetched, so a tampered upstream cannot make the worker call another host (SSRF).
/// </summary>
public sealed class UpstreamOrigin
{
    public UpstreamOrigin(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!baseAddress.IsAbsoluteUri || baseAddress.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"An upstream's base address must be an absolute http(s) URL, not '{baseAddress}'.", nameof(baseAddress));
        }

        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The origin as text, e.g. <c>https://www.teqsa.gov.au</c>.</summary>
    public string Name => BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>Whether <paramref name="uri"/> is absolute and has this origin's scheme, host and port.</summary>
    public bool Contains(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri
            && string.Equals(uri.Scheme, BaseAddress.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.IdnHost, BaseAddress.IdnHost, StringComparison.OrdinalIgnoreCase)
            && uri.Port == BaseAddress.Port;
    }

    /// <summary>
    /// Resolves a link found in upstream content against the URL it came from (<paramref name="relativeTo"/>); refuses
    /// one that is not a URL or points off this origin. <paramref name="what"/> names the link for the error.
    /// </summary>
    public Uri Resolve(Uri relativeTo, string link, string what)
    {
        ArgumentNullException.ThrowIfNull(relativeTo);
        ArgumentNullException.ThrowIfNull(link);
        if (!Uri.TryCreate(relativeTo, link.Trim(), out var target))
        {
            throw new UpstreamOriginException($"{what} '{Shown(link)}' is not a URL; it was not fetched.");
        }

        Require(target, what);
        return target;
    }

    /// <summary>Refuses <paramref name="target"/> unless it is on this origin.</summary>
    public void Require(Uri target, string what)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!Contains(target))
        {
            throw new UpstreamOriginException(
                $"{what} '{Shown(target.OriginalString)}' is not on the configured upstream {Name}; it was not fetched (only relative links and links on the configured origin are followed).");
        }
    }

    /// <summary>Upstream text in an error line: one line, bounded.</summary>
    private static string Shown(string text)
    {
        const int Max = 200;
        var line = string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
        return line.Length <= Max ? line : line[..Max] + "…";
    }
}
