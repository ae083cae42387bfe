using System.Globalization;
using System.Text;
using Azure.Core;

namespace Rtgf.Azure.Storage.Internal;

/// <summary>
/// Builds the string-to-sign for the Shared Key schemes, exactly as documented in
/// "Authorize with Shared Key" (learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key).
/// </summary>
internal static class SharedKeyCanonicalizer
{
    public static string BuildStringToSign(StorageService service, SharedKeyScheme scheme, Request request, string accountName) =>
        (service, scheme) switch
        {
            (StorageService.Table, SharedKeyScheme.SharedKey) => TableSharedKey(request, accountName),
            (StorageService.Table, SharedKeyScheme.SharedKeyLite) => TableSharedKeyLite(request, accountName),
            (_, SharedKeyScheme.SharedKey) => BlobQueueSharedKey(request, accountName),
            (_, SharedKeyScheme.SharedKeyLite) => BlobQueueSharedKeyLite(request, accountName),
            _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
        };

    /// <summary>Blob and Queue <c>SharedKey</c> (version 2015-02-21 and later: zero Content-Length is empty).</summary>
    public static string BlobQueueSharedKey(Request request, string accountName)
    {
        var contentLength = request.Content is not null && request.Content.TryComputeLength(out var length) && length > 0
            ? length.ToString(CultureInfo.InvariantCulture)
            : string.Empty;

        var builder = new StringBuilder(256);
        builder.Append(request.Method.Method).Append('\n');
        builder.Append(Header(request, "Content-Encoding")).Append('\n');
        builder.Append(Header(request, "Content-Language")).Append('\n');
        builder.Append(contentLength).Append('\n');
        builder.Append(Header(request, "Content-MD5")).Append('\n');
        builder.Append(Header(request, "Content-Type")).Append('\n');
        builder.Append(string.Empty).Append('\n'); // Date: empty because x-ms-date is always sent
        builder.Append(Header(request, "If-Modified-Since")).Append('\n');
        builder.Append(Header(request, "If-Match")).Append('\n');
        builder.Append(Header(request, "If-None-Match")).Append('\n');
        builder.Append(Header(request, "If-Unmodified-Since")).Append('\n');
        builder.Append(Header(request, "Range")).Append('\n');
        AppendCanonicalizedHeaders(builder, request);
        AppendCanonicalizedResource(builder, request.Uri.ToUri(), accountName);
        return builder.ToString();
    }

    /// <summary>Blob and Queue <c>SharedKeyLite</c>.</summary>
    public static string BlobQueueSharedKeyLite(Request request, string accountName)
    {
        var builder = new StringBuilder(128);
        builder.Append(request.Method.Method).Append('\n');
        builder.Append(Header(request, "Content-MD5")).Append('\n');
        builder.Append(Header(request, "Content-Type")).Append('\n');
        builder.Append(string.Empty).Append('\n'); // Date: empty because x-ms-date is always sent
        AppendCanonicalizedHeaders(builder, request);
        builder.Append(LiteCanonicalizedResource(request.Uri.ToUri(), accountName));
        return builder.ToString();
    }

    /// <summary>Table <c>SharedKey</c>: VERB, Content-MD5, Content-Type, date, resource.</summary>
    public static string TableSharedKey(Request request, string accountName) =>
        string.Concat(
            request.Method.Method, "\n",
            Header(request, "Content-MD5"), "\n",
            Header(request, "Content-Type"), "\n",
            Header(request, "x-ms-date"), "\n",
            LiteCanonicalizedResource(request.Uri.ToUri(), accountName));

    /// <summary>Table <c>SharedKeyLite</c>: date and resource (what Azure.Data.Tables sends).</summary>
    public static string TableSharedKeyLite(Request request, string accountName) =>
        string.Concat(Header(request, "x-ms-date"), "\n", LiteCanonicalizedResource(request.Uri.ToUri(), accountName));

    private static string Header(Request request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value : string.Empty;

    private static void AppendCanonicalizedHeaders(StringBuilder builder, Request request)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
        {
            if (header.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(new(header.Name.ToLowerInvariant(), UnfoldWhitespace(header.Value)));
            }
        }

        headers.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }
    }

    // "Replace any linear whitespace in the header value with a single space" and trim it.
    private static string UnfoldWhitespace(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.AsSpan().IndexOfAny("\r\n\t  ") < 0)
        {
            return trimmed;
        }

        var builder = new StringBuilder(trimmed.Length);
        var inWhitespace = false;
        foreach (var c in trimmed)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (!inWhitespace)
                {
                    builder.Append(' ');
                }

                inWhitespace = true;
            }
            else
            {
                builder.Append(c);
                inWhitespace = false;
            }
        }

        return builder.ToString();
    }

    private static void AppendCanonicalizedResource(StringBuilder builder, Uri uri, string accountName)
    {
        builder.Append('/').Append(accountName).Append(uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath);

        var parameters = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in ParseQuery(uri.Query))
        {
            var key = name.ToLowerInvariant();
            if (!parameters.TryGetValue(key, out var values))
            {
                parameters[key] = values = [];
            }

            values.Add(value);
        }

        foreach (var (name, values) in parameters)
        {
            values.Sort(StringComparer.Ordinal);
            builder.Append('\n').Append(name).Append(':').AppendJoin(',', values);
        }
    }

    private static string LiteCanonicalizedResource(Uri uri, string accountName)
    {
        var resource = "/" + accountName + (uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath);
        foreach (var (name, value) in ParseQuery(uri.Query))
        {
            if (string.Equals(name, "comp", StringComparison.OrdinalIgnoreCase))
            {
                return resource + "?comp=" + value;
            }
        }

        return resource;
    }

    private static IEnumerable<(string Name, string Value)> ParseQuery(string query)
    {
        if (query.Length <= 1)
        {
            yield break;
        }

        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            yield return (Uri.UnescapeDataString(name), Uri.UnescapeDataString(value));
        }
    }
}
