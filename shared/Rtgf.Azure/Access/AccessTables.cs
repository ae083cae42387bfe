using Azure.Data.Tables;

namespace Rtgf.Azure.Access;

/// <summary>
/// The access tables (<c>apikeys</c>, <c>apiusage</c>, <c>abuseblocks</c>), created on first use. The service client is
/// asked for on first use too, so an app without storage settings still starts, and its areas that need no storage answer.
/// </summary>
public sealed class AccessTables(Func<TableServiceClient> service, string prefix = "")
{
    public const string ApiKeys = "apikeys";
    public const string ApiUsage = "apiusage";
    public const string AbuseBlocks = "abuseblocks";

    // PublicationOnly: a failure (no storage configured yet) is not cached; the next use tries again.
    private readonly Lazy<CreatedOnFirstUse<TableClient>> _keys = new(() => CreatedOnFirstUse.Table(service(), prefix + ApiKeys), LazyThreadSafetyMode.PublicationOnly);
    private readonly Lazy<CreatedOnFirstUse<TableClient>> _usage = new(() => CreatedOnFirstUse.Table(service(), prefix + ApiUsage), LazyThreadSafetyMode.PublicationOnly);
    private readonly Lazy<CreatedOnFirstUse<TableClient>> _blocks = new(() => CreatedOnFirstUse.Table(service(), prefix + AbuseBlocks), LazyThreadSafetyMode.PublicationOnly);

    internal Task<TableClient> KeysAsync(CancellationToken cancellationToken) => _keys.Value.GetAsync(cancellationToken);

    internal Task<TableClient> UsageAsync(CancellationToken cancellationToken) => _usage.Value.GetAsync(cancellationToken);

    internal Task<TableClient> BlocksAsync(CancellationToken cancellationToken) => _blocks.Value.GetAsync(cancellationToken);
}
