using System.Diagnostics;

namespace Rtgf.Azure.KeyVault.Internal;

/// <summary>One activity per client operation (<c>KeyClient.GetKey</c>, <c>CryptographyClient.Sign</c>, …) above Azure.Core's per-request activities.</summary>
internal static class KeyVaultDiagnostics
{
    public const string SourceName = "Rtgf.Azure.KeyVault";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartOperation(string operationName, Uri vaultUri, string keyName)
    {
        var activity = Source.StartActivity(operationName, ActivityKind.Internal);
        activity?.SetTag("az.namespace", "Microsoft.KeyVault");
        activity?.SetTag("rtgf.keyvault.vault", vaultUri.Host);
        activity?.SetTag("rtgf.keyvault.key", keyName);
        return activity;
    }

    public static void Fail(Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.SetTag("error.type", exception.GetType().FullName);
    }
}
