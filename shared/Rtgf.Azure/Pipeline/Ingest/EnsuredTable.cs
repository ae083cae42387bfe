using Rtgf.Azure.Storage.Tables;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>A table created on first use (a failed creation is tried again next time; two racing creations are harmless).</summary>
internal sealed class EnsuredTable(TableServiceClient service, string name)
{
    private Task<TableClient>? _ready;

    public string Name => name;

    public Task<TableClient> GetAsync(CancellationToken cancellationToken)
    {
        var ready = Volatile.Read(ref _ready);
        if (ready is null || ready.IsFaulted || ready.IsCanceled)
        {
            ready = CreateAsync(cancellationToken);
            Volatile.Write(ref _ready, ready);
        }

        return ready;
    }

    private async Task<TableClient> CreateAsync(CancellationToken cancellationToken)
    {
        var client = service.GetTableClient(name);
        await client.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        return client;
    }
}
