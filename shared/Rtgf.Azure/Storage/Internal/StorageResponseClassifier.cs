using Azure.Core;

namespace Rtgf.Azure.Storage.Internal;

/// <summary>Retries 408, 429 and the transient 5xx; 501 and 505 are permanent.</summary>
internal sealed class StorageResponseClassifier : ResponseClassifier
{
    public static readonly StorageResponseClassifier Instance = new();

    public override bool IsRetriableResponse(HttpMessage message) =>
        message.Response.Status is 408 or 429 || (message.Response.Status >= 500 && message.Response.Status is not (501 or 505));
}
