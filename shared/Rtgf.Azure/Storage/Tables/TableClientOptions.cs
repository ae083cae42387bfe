namespace Rtgf.Azure.Storage.Tables;

/// <summary>Options for <see cref="TableServiceClient"/> and <see cref="TableClient"/>.</summary>
public sealed class TableClientOptions() : StorageClientOptions(SharedKeyScheme.SharedKeyLite)
{
    /// <summary>The Table service REST version sent as <c>x-ms-version</c>.</summary>
    public string ServiceVersion { get; set; } = "2019-02-02";
}
