using System.Diagnostics;

namespace Rtgf.Azure.Storage.Internal;

/// <summary>
/// One activity per client operation (<c>TableClient.AddEntity</c>, …) above Azure.Core's per-request
/// activities, so traces show the logical call and its retries.
/// </summary>
internal static class StorageDiagnostics
{
    public const string SourceName = "Rtgf.Azure.Storage";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartOperation(string operationName, string accountName, string resource)
    {
        var activity = Source.StartActivity(operationName, ActivityKind.Internal);
        activity?.SetTag("az.namespace", "Microsoft.Storage");
        activity?.SetTag("rtgf.storage.account", accountName);
        activity?.SetTag("rtgf.storage.resource", resource);
        return activity;
    }

    public static void Fail(Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.SetTag("error.type", exception.GetType().FullName);
    }
}
