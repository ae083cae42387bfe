using Azure.Core;
using Azure.Core.Pipeline;

namespace Rtgf.Azure.Storage.Internal;

/// <summary>
/// Signs the request with the account key. Runs once per attempt, after <see cref="StorageDatePolicy"/>,
/// so a retried request carries a fresh date and signature.
/// </summary>
internal sealed class SharedKeyAuthenticationPolicy(
    StorageSharedKeyCredential credential,
    StorageService service,
    SharedKeyScheme scheme) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var stringToSign = SharedKeyCanonicalizer.BuildStringToSign(service, scheme, request, credential.AccountName);
        var signature = credential.ComputeHmacSha256(stringToSign);
        var schemeName = scheme == SharedKeyScheme.SharedKey ? "SharedKey" : "SharedKeyLite";
        request.Headers.SetValue("Authorization", $"{schemeName} {credential.AccountName}:{signature}");
    }
}
