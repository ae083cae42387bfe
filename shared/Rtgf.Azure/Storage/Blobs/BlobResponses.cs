using System.Globalization;
using Azure;
using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Blobs;

/// <summary>Reads blob properties out of response headers.</summary>
internal static class BlobResponses
{
    private const string MetadataPrefix = "x-ms-meta-";

    public static BlobProperties Properties(Response response)
    {
        var headers = response.Headers;
        var metadata = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
        {
            if (header.Name.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name[MetadataPrefix.Length..]] = header.Value;
            }
        }

        // A range read reports the whole blob's MD5 in x-ms-blob-content-md5.
        var md5 = Header(response, "x-ms-blob-content-md5") ?? Header(response, "Content-MD5");
        var length = Header(response, "Content-Range") is { } range && range.LastIndexOf('/') is var slash and > 0
            && long.TryParse(range.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var total)
            ? total
            : headers.ContentLength ?? 0;

        return new BlobProperties
        {
            ContentLength = length,
            ContentType = headers.ContentType,
            CacheControl = Header(response, "Cache-Control"),
            ContentEncoding = Header(response, "Content-Encoding"),
            ContentLanguage = Header(response, "Content-Language"),
            ContentDisposition = Header(response, "Content-Disposition"),
            ContentHash = md5 is null ? null : Convert.FromBase64String(md5),
            ETag = headers.ETag ?? default,
            LastModified = Date(Header(response, "Last-Modified")) ?? default,
            CreatedOn = Date(Header(response, "x-ms-creation-time")),
            Metadata = metadata,
        };
    }

    public static string? Header(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) ? value : null;

    public static DateTimeOffset? Date(string? rfc1123) => StorageDates.ParseOptional(rfc1123);
}
