using Azure.Core;
using Azure.Core.Pipeline;

namespace Rtgf.Azure.Storage.Internal;

/// <summary>Adds the service version every storage request must carry.</summary>
internal sealed class StorageHeadersPolicy(string serviceVersion) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue("x-ms-version", serviceVersion);
}
