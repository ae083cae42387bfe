using System.Net;

namespace Rtgf.Functions.Access;

/// <summary>
/// The client address the anonymous tier and the abuse list count by. Trust boundary (docs/spec/api-keys.md): the
/// Functions/App Service front end appends the address it accepted the connection from to <c>X-Forwarded-For</c>, so only
/// the rightmost entry is the front end's; entries to its left are whatever the client sent and are ignored. Without the
/// header (or with an unparseable last entry) the connection's remote address is used. IPv4-mapped IPv6 addresses count as
/// IPv4; the text is the canonical form, so one address has one spelling.
/// </summary>
internal static class ClientAddress
{
    public const string ForwardedForHeader = "X-Forwarded-For";

    /// <summary>Used when neither the header nor the connection gives an address (in-process test servers).</summary>
    public const string Unknown = "unknown";

    /// <summary>Longer header values are not parsed (the front end's own entry is short; a huge header is someone else's).</summary>
    private const int MaxHeaderLength = 8 * 1024;

    public static string Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var forwarded = request.Headers[ForwardedForHeader];
        if (forwarded.Count > 0 && forwarded[^1] is { Length: > 0 and <= MaxHeaderLength } last)
        {
            var comma = last.LastIndexOf(',');
            if (Parse(last.AsSpan(comma + 1).Trim()) is { } address)
            {
                return address;
            }
        }

        return request.HttpContext.Connection.RemoteIpAddress is { } remote ? Normalise(remote) : Unknown;
    }

    /// <summary>An address, with or without a port (<c>1.2.3.4:5678</c>, <c>[::1]:443</c>), in canonical text; else null.</summary>
    internal static string? Parse(ReadOnlySpan<char> entry)
    {
        if (entry.IsEmpty || entry.Length > 64)
        {
            return null;
        }

        if (IPAddress.TryParse(entry, out var address))
        {
            return Normalise(address);
        }

        // host:port as App Service writes IPv4 entries, [v6]:port for IPv6.
        return IPEndPoint.TryParse(entry, out var endpoint) ? Normalise(endpoint.Address) : null;
    }

    private static string Normalise(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        // A zone (fe80::1%eth0) names an interface of the sender's host, not another client.
        return (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address).ToString();
    }
}
