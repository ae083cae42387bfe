using System.Net;

namespace Rtgf.Functions.Access;

/// <summary>
/// The client address the anonymous tier and the abuse list count by. Trust boundary (docs/spec/api-keys.md): the
/// Functions/App Service front end appends the address it accepted the connection from to <c>X-Forwarded-For</c>, so only
/// the rightmost entry is the front end's; entries to its left are whatever the client sent. The worker's ASP.NET Core
/// integration already applies that rule: its forwarded-headers step (one hop, the host on loopback as the known proxy)
/// takes the rightmost entry as the connection's remote address and leaves only the client's own entries in the header.
/// So the address is the connection's, never read from the header (what is left there is client-chosen). IPv4-mapped IPv6
/// counts as IPv4 and zones are dropped, so one address has one spelling; IPv6 counts by its /64 (one subscriber's
/// network: a client given a /64 could otherwise take a fresh address per request and never be limited or blocked).
/// </summary>
internal static class ClientAddress
{
    /// <summary>Used when the connection gives no address (in-process servers without one).</summary>
    public const string Unknown = "unknown";

    public static string Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HttpContext.Connection.RemoteIpAddress is { } remote ? Normalise(remote) : Unknown;
    }

    internal static string Normalise(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        // The /64 prefix (the zone of fe80::1%eth0 goes too: it names an interface of the sender's host, not another client).
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
