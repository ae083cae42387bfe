using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Rtgf.UpstreamSimulator.Formats;

/// <summary>Sends a file as the static-file servers of data.gov.au and DFAT do: ETag (content hash), Last-Modified, 304s.</summary>
internal static class HttpDownload
{
    public static string ETag(byte[] content) => "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"";

    public static async Task SendAsync(HttpContext context, byte[] content, string contentType, DateTimeOffset lastModified, string? fileName = null)
    {
        var etag = ETag(content);
        context.Response.Headers.ETag = etag;
        context.Response.Headers.LastModified = lastModified.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);
        if (string.Equals(context.Request.Headers.IfNoneMatch.ToString(), etag, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        if (fileName is not null)
        {
            context.Response.Headers.ContentDisposition = "attachment; filename=\"" + fileName + "\"";
        }

        context.Response.ContentType = contentType;
        context.Response.ContentLength = content.Length;
        await context.Response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task SendTextAsync(HttpContext context, string text, string contentType)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }
}
