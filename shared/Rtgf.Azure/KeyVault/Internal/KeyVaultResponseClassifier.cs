using Azure.Core;

namespace Rtgf.Azure.KeyVault.Internal;

/// <summary>Retries 408, 429 and the transient 5xx; 501 and 505 are permanent.</summary>
internal sealed class KeyVaultResponseClassifier : ResponseClassifier
{
    public static readonly KeyVaultResponseClassifier Instance = new();

    public override bool IsRetriableResponse(HttpMessage message) =>
        message.Response.Status is 408 or 429 || (message.Response.Status >= 500 && message.Response.Status is not (501 or 505));
}
