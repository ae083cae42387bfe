using Rtgf.Azure.Storage.Tables;

namespace Rtgf.Azure.Pipeline.Ingest;

/// <summary>A table created on first use (once per process; a failed creation is tried again next time).</summary>
internal sealed class EnsuredTable(TableServiceClient service, string name)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TableClient? _client;

    public string Name => name;

    public async Task<TableClient> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _client) is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is null)
            {
                var client = service.GetTableClient(name);
                await client.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _client, client);
            }

            return _client!;
        }
        finally
        {
            _gate.Release();
        }
    }
}
