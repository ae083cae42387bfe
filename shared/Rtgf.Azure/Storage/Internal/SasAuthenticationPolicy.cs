using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rtgf.Azure.Storage.Internal;

/// <summary>Appends a shared access signature to the query string (the signature may be rotated in place).</summary>
internal sealed class SasAuthenticationPolicy(AzureSasCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var sas = credential.Signature.TrimStart('?');
        var query = message.Request.Uri.Query;
        if (query.Contains("sig=", StringComparison.Ordinal))
        {
            return;
        }

        message.Request.Uri.Query = query.Length > 1 ? query + "&" + sas : "?" + sas;
    }
}
