using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rtgf.Azure.Storage.Internal;

/// <summary>How a client authenticates: exactly one of the members is set (or none, for anonymous access).</summary>
internal sealed record StorageAuthentication(
    StorageSharedKeyCredential? SharedKey = null,
    TokenCredential? Token = null,
    AzureSasCredential? Sas = null)
{
    public static StorageAuthentication FromConnectionString(StorageConnectionString connection) =>
        connection.SharedKeyCredential is not null
            ? new StorageAuthentication(SharedKey: connection.SharedKeyCredential)
            : connection.SharedAccessSignature is not null
                ? new StorageAuthentication(Sas: new AzureSasCredential(connection.SharedAccessSignature))
                : new StorageAuthentication();
}

/// <summary>
/// Builds the Azure.Core pipeline for a storage client: version header per call; retries (408, 429,
/// transient 5xx, transport errors, jittered exponential backoff); then authentication per attempt.
/// </summary>
internal static class StoragePipeline
{
    /// <summary>Entra ID scope for Blob, Queue and Table data-plane access.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    public static HttpPipeline Build(StorageClientOptions options, StorageAuthentication authentication)
    {
        var pipelineOptions = new HttpPipelineOptions(options)
        {
            ResponseClassifier = StorageResponseClassifier.Instance,
            RequestFailedDetailsParser = StorageErrorParser.Instance,
        };
        pipelineOptions.PerCallPolicies.Add(new StorageHeadersPolicy(options.ServiceVersion));

        // Per attempt: a fresh x-ms-date (required by every authorised request), then the credential.
        pipelineOptions.PerRetryPolicies.Add(new StorageDatePolicy(options.TimeProvider));
        if (AuthenticationPolicy(options, authentication) is { } policy)
        {
            pipelineOptions.PerRetryPolicies.Add(policy);
        }

        return HttpPipelineBuilder.Build(pipelineOptions);
    }

    private static HttpPipelinePolicy? AuthenticationPolicy(StorageClientOptions options, StorageAuthentication authentication) =>
        authentication switch
        {
            { SharedKey: { } key } => new SharedKeyAuthenticationPolicy(key, options.Service, options.SharedKeyScheme),
            { Token: { } token } => new BearerTokenAuthenticationPolicy(token, StorageScope),
            { Sas: { } sas } => new SasAuthenticationPolicy(sas),
            _ => null,
        };
}
