namespace Rtgf.Functions.Http;

/// <summary>Reads a request body under a cap, without trusting Content-Length (chunked bodies have none).</summary>
internal static class RequestBody
{
    /// <summary>The body, or null as soon as it is longer than <paramref name="maxBytes"/> (the rest is not read).</summary>
    public static async Task<byte[]?> ReadCappedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }
}
