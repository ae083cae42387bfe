using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Rtgf.Azure.Blobs;
using Rtgf.Azure.Tables;

namespace Rtgf.Azure;

/// <summary>
/// The one create-on-first-use helper of our stores (docs/spec/storage.md): a table, container or queue is created the first
/// time a store needs it; a failed or cancelled creation is tried again next time, and two instances racing to create it
/// are harmless (creation is "if not exists").
/// </summary>
public sealed class CreatedOnFirstUse<TClient>(TClient client, Func<TClient, CancellationToken, Task> create)
    where TClient : class
{
    private Task? _created;

    public TClient Client => client;

    /// <summary>The client, once the resource exists.</summary>
    public async Task<TClient> GetAsync(CancellationToken cancellationToken)
    {
        var created = Volatile.Read(ref _created);
        if (created is null || created.IsFaulted || created.IsCanceled)
        {
            // Not bound to one caller's token: a creation another caller awaits must not fail because this one gave up.
            created = create(client, CancellationToken.None);
            Volatile.Write(ref _created, created);
        }

        await created.WaitAsync(cancellationToken).ConfigureAwait(false);
        return client;
    }
}

/// <summary>Tables and containers created on first use.</summary>
public static class CreatedOnFirstUse
{
    public static CreatedOnFirstUse<TableClient> Table(TableServiceClient service, string name)
    {
        ArgumentNullException.ThrowIfNull(service);
        TableLimits.ValidateTableName(name);
        return new(service.GetTableClient(name), static (table, ct) => table.CreateIfNotExistsAsync(ct));
    }

    public static CreatedOnFirstUse<BlobContainerClient> Container(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        BlobLimits.ValidateContainerName(container.Name);
        return new(container, static (c, ct) => c.CreateIfNotExistsAsync(cancellationToken: ct));
    }
}
