using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Tables;

/// <summary>Options for <see cref="TableServiceClient"/> and <see cref="TableClient"/>.</summary>
public sealed class TableClientOptions() : StorageClientOptions(StorageService.Table, "2019-02-02", SharedKeyScheme.SharedKeyLite)
{
}
