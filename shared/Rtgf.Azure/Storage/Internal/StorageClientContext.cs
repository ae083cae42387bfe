using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rtgf.Azure.Storage.Internal;

/// <summary>What a service client shares with the resource clients it creates: pipeline, endpoint, account.</summary>
internal sealed class StorageClientContext
{
    public StorageClientContext(HttpPipeline pipeline, Uri serviceEndpoint, string accountName, StorageService service)
    {
        Pipeline = pipeline;
        ServiceEndpoint = serviceEndpoint;
        AccountName = accountName;
        Service = service;
    }

    public HttpPipeline Pipeline { get; }

    public Uri ServiceEndpoint { get; }

    public string AccountName { get; }

    public StorageService Service { get; }

    public static StorageClientContext Create(
        Uri serviceEndpoint,
        StorageAuthentication authentication,
        StorageClientOptions options,
        StorageService service,
        string serviceVersion,
        string? accountName = null)
    {
        ArgumentNullException.ThrowIfNull(serviceEndpoint);
        if (!serviceEndpoint.IsAbsoluteUri || serviceEndpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("The storage endpoint must be an absolute http(s) URI.", nameof(serviceEndpoint));
        }

        var pipeline = StoragePipeline.Build(options, authentication, service, serviceVersion);
        var account = accountName ?? authentication.SharedKey?.AccountName ?? StorageUris.AccountName(serviceEndpoint);
        return new StorageClientContext(pipeline, serviceEndpoint, account, service);
    }

    /// <summary>The endpoint followed by already-escaped path segments, joined with single slashes.</summary>
    public Uri ResourceUri(params string[] escapedSegments)
    {
        var builder = new StringBuilder(ServiceEndpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        foreach (var segment in escapedSegments)
        {
            builder.Append('/').Append(segment);
        }

        return new Uri(builder.ToString());
    }

    public HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = Pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        return message;
    }

    /// <summary>
    /// Sends the message and throws <see cref="RequestFailedException"/> (status and service error code)
    /// for an error response whose status is not in <paramref name="tolerated"/>.
    /// </summary>
    public async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken, params int[] tolerated)
    {
        await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.IsError && !tolerated.Contains(response.Status))
        {
            throw new RequestFailedException(response, null, StorageErrorParser.Instance);
        }

        return response;
    }
}
