namespace Rtgf.Azure.Storage.Internal;

/// <summary>Endpoint facts shared by connection strings and clients.</summary>
internal static class StorageUris
{
    /// <summary>Emulators and IP hosts put the account in the first path segment ("path-style" URLs).</summary>
    public static bool IsPathStyle(Uri endpoint) =>
        endpoint.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
        || string.Equals(endpoint.Host, "localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>The account an endpoint addresses: first path segment (path-style) or first host label.</summary>
    public static string AccountName(Uri endpoint)
    {
        if (IsPathStyle(endpoint))
        {
            return endpoint.AbsolutePath.Trim('/').Split('/')[0];
        }

        var dot = endpoint.Host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? endpoint.Host[..dot] : endpoint.Host;
    }
}
