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

    /// <summary>A context for the service the options are for, at the endpoint the connection string gives it.</summary>
    public static StorageClientContext FromConnectionString(string connectionString, StorageClientOptions options)
    {
        var connection = StorageConnectionString.Parse(connectionString);
        var endpoint = options.Service switch
        {
            StorageService.Blob => connection.BlobEndpoint,
            StorageService.Queue => connection.QueueEndpoint,
            _ => connection.TableEndpoint,
        } ?? throw new FormatException($"Storage connection string: it has no {options.Service} endpoint.");
        return Create(endpoint, StorageAuthentication.FromConnectionString(connection), options, connection.AccountName);
    }

    public static StorageClientContext Create(Uri serviceEndpoint, StorageAuthentication authentication, StorageClientOptions options, string? accountName = null)
    {
        ArgumentNullException.ThrowIfNull(serviceEndpoint);
        if (!serviceEndpoint.IsAbsoluteUri || serviceEndpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("The storage endpoint must be an absolute http(s) URI.", nameof(serviceEndpoint));
        }

        var pipeline = StoragePipeline.Build(options, authentication);
        var account = accountName ?? authentication.SharedKey?.AccountName ?? StorageUris.AccountName(serviceEndpoint);
        return new StorageClientContext(pipeline, serviceEndpoint, account, options.Service);
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
