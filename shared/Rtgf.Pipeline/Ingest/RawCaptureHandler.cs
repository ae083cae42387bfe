using System.Text;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The innermost handler of an outbound client (pass it as the primary handler to
/// <see cref="OutboundHttpClientFactory.CreateClient"/>): when a <see cref="RawPayloadCapture"/> is active, it buffers each
/// response body and stores it before the connector parses it. A body that cannot be read (truncated) fails the call as
/// it would have anyway; nothing is stored for it.
/// </summary>
public sealed class RawCaptureHandler : DelegatingHandler
{
    public RawCaptureHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (RawPayloadCapture.Current is not { } capture)
        {
            return response;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var contentType = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
        var operation = request.Options.TryGetValue(OutboundRequest.Operation, out var name) ? name : request.Method.Method;
        var label = OperationLabel(operation) + ((int)response.StatusCode >= 400 ? "-http" + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
        await capture.Store.PutAsync(capture.NextName(label, Extension(contentType, request.RequestUri)), bytes, contentType, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary><c>ITrainingComponentService/GetDetails</c> becomes <c>TrainingComponentService.GetDetails</c>.</summary>
    internal static string OperationLabel(string operation)
    {
        var builder = new StringBuilder(operation.Length);
        var parts = operation.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (i < parts.Length - 1 && part.Length > 1 && part[0] == 'I' && char.IsUpper(part[1]))
            {
                part = part[1..]; // the WCF contract's interface prefix
            }

            if (i > 0)
            {
                builder.Append('.');
            }

            foreach (var c in part)
            {
                builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
            }
        }

        return builder.ToString();
    }

    private static string Extension(string mediaType, Uri? uri)
    {
        var path = uri?.AbsolutePath ?? string.Empty;
        return mediaType switch
        {
            "text/xml" or "application/xml" or "application/soap+xml" => "xml",
            "application/zip" or "application/x-zip-compressed" => "zip",
            "text/html" => "html",
            "application/json" => "json",
            "text/csv" => "csv",
            _ when mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase) => "json", // SDMX-JSON and other vendor JSON
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
            _ when path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) => "xlsx",
            _ when path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) => "zip",
            _ when path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) => "csv",
            _ => "bin",
        };
    }
}
