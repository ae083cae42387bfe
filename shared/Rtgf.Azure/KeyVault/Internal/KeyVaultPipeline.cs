using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rtgf.Azure.KeyVault.Internal;

/// <summary>
/// What the Key Vault clients share: the vault URI, the pinned api-version and the Azure.Core pipeline (retries on 408,
/// 429 honouring Retry-After and transient 5xx, as for storage; then challenge-based bearer authentication per attempt).
/// </summary>
internal sealed class KeyVaultPipeline
{
    public KeyVaultPipeline(Uri vaultUri, TokenCredential credential, KeyVaultClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(options);
        if (!vaultUri.IsAbsoluteUri || vaultUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"The vault URI must be an absolute https URI (bearer tokens never travel over plain HTTP); got '{vaultUri}'.", nameof(vaultUri));
        }

        VaultUri = new Uri(vaultUri.GetLeftPart(UriPartial.Authority) + "/");
        ApiVersion = options.ApiVersion;
        var pipelineOptions = new HttpPipelineOptions(options)
        {
            ResponseClassifier = KeyVaultResponseClassifier.Instance,
            RequestFailedDetailsParser = KeyVaultErrorParser.Instance,
        };
        pipelineOptions.PerRetryPolicies.Add(new KeyVaultChallengePolicy(credential, !options.DisableChallengeResourceVerification));
        Pipeline = HttpPipelineBuilder.Build(pipelineOptions);
    }

    public Uri VaultUri { get; }

    public string ApiVersion { get; }

    public HttpPipeline Pipeline { get; }

    /// <summary>A request to <c>{vault}/{segments}?api-version=…</c>; segments are validated names, joined with slashes.</summary>
    public HttpMessage CreateMessage(RequestMethod method, IEnumerable<string> segments, string? extraQuery = null)
    {
        var builder = new StringBuilder(VaultUri.AbsoluteUri.TrimEnd('/'));
        foreach (var segment in segments)
        {
            builder.Append('/').Append(Uri.EscapeDataString(segment));
        }

        builder.Append("?api-version=").Append(Uri.EscapeDataString(ApiVersion));
        if (extraQuery is not null)
        {
            builder.Append('&').Append(extraQuery);
        }

        return CreateMessage(method, new Uri(builder.ToString()));
    }

    public HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = Pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.SetValue("Accept", "application/json");
        return message;
    }

    public static void SetJsonContent(HttpMessage message, BinaryData json)
    {
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Content = RequestContent.Create(json);
    }

    /// <summary>Sends and throws <see cref="RequestFailedException"/> (status, Key Vault error code) on an error response.</summary>
    public async Task<Response> SendAsync(HttpMessage message, string operationName, string keyName, CancellationToken cancellationToken)
    {
        using var activity = KeyVaultDiagnostics.StartOperation(operationName, VaultUri, keyName);
        try
        {
            await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var response = message.Response;
            if (response.IsError)
            {
                throw new RequestFailedException(response, null, KeyVaultErrorParser.Instance);
            }

            return response;
        }
        catch (Exception e)
        {
            KeyVaultDiagnostics.Fail(activity, e);
            throw;
        }
    }

    /// <summary>
    /// A <c>nextLink</c> from a list response, checked to point at this vault (the pipeline would send it a token) and to
    /// carry the api-version.
    /// </summary>
    public Uri NextLink(string nextLink)
    {
        if (!Uri.TryCreate(nextLink, UriKind.Absolute, out var uri)
            || !string.Equals(uri.GetLeftPart(UriPartial.Authority), VaultUri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The vault returned a nextLink '{nextLink}' outside {VaultUri}; refusing to follow it.");
        }

        return uri.Query.Contains("api-version=", StringComparison.Ordinal)
            ? uri
            : new Uri(uri.AbsoluteUri + (uri.Query.Length > 0 ? "&" : "?") + "api-version=" + Uri.EscapeDataString(ApiVersion));
    }
}
