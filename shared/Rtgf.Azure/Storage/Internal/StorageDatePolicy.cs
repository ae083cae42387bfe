using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rtgf.Azure.Storage.Internal;

/// <summary>Stamps <c>x-ms-date</c> (RFC 1123, from the client's clock) on every attempt.</summary>
internal sealed class StorageDatePolicy(TimeProvider timeProvider) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue("x-ms-date", timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
}
