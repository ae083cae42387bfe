using Azure.Core;
using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage;

/// <summary>Which Shared Key string-to-sign a client uses when it signs with an account key.</summary>
public enum SharedKeyScheme
{
    /// <summary><c>Authorization: SharedKey</c>: signs verb, content and conditional headers.</summary>
    SharedKey,

    /// <summary><c>Authorization: SharedKeyLite</c>: signs the date and resource only.</summary>
    SharedKeyLite,
}

/// <summary>
/// Options shared by the storage clients: the Azure.Core retry, diagnostics and transport settings plus
/// the clock that stamps <c>x-ms-date</c>.
/// </summary>
public abstract class StorageClientOptions : ClientOptions
{
    private protected StorageClientOptions(StorageService service, string serviceVersion, SharedKeyScheme defaultScheme)
    {
        Service = service;
        ServiceVersion = serviceVersion;
        SharedKeyScheme = defaultScheme;

        // 408, 429 and transient 5xx are retried with jittered exponential backoff (Azure.Core RetryPolicy).
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 5;
        Retry.Delay = TimeSpan.FromMilliseconds(800);
        Retry.MaxDelay = TimeSpan.FromSeconds(30);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(100);

        // Headers worth seeing in Azure.Core logs; Authorization and keys are always redacted.
        foreach (var header in new[]
                 {
                     "x-ms-request-id", "x-ms-client-request-id", "x-ms-version", "x-ms-date", "x-ms-error-code",
                     "x-ms-continuation-NextPartitionKey", "x-ms-continuation-NextRowKey", "x-ms-range", "x-ms-blob-type",
                     "x-ms-approximate-messages-count", "x-ms-popreceipt", "x-ms-time-next-visible", "ETag", "If-Match",
                     "If-None-Match", "Prefer", "Preference-Applied", "DataServiceVersion", "Content-Range", "Location",
                 })
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }

        foreach (var parameter in new[] { "comp", "restype", "prefix", "maxresults", "include", "numofmessages", "visibilitytimeout", "messagettl", "peekonly", "$top", "$select" })
        {
            Diagnostics.LoggedQueryParameters.Add(parameter);
        }
    }

    /// <summary>The service REST version sent as <c>x-ms-version</c>.</summary>
    public string ServiceVersion { get; set; }

    /// <summary>The Shared Key scheme used with account-key credentials.</summary>
    public SharedKeyScheme SharedKeyScheme { get; set; }

    /// <summary>The clock that stamps <c>x-ms-date</c>. Defaults to the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = SystemClock.Instance;

    internal StorageService Service { get; }
}
