using System.Globalization;

namespace Rtgf.Azure.Storage.Internal;

/// <summary>The RFC 1123 dates storage headers and XML bodies carry ("Sun, 22 Nov 2026 01:02:03 GMT").</summary>
internal static class StorageDates
{
    public static DateTimeOffset Parse(string rfc1123) =>
        DateTimeOffset.ParseExact(rfc1123, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static DateTimeOffset? ParseOptional(string? rfc1123) => rfc1123 is null ? null : Parse(rfc1123);
}
