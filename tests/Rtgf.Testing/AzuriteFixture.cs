using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Rtgf.Azure.Connections;
using Rtgf.Tooling;
using Xunit;

namespace Rtgf.Testing;

/// <summary>
/// One in-memory Azurite (telemetry off, ports chosen by the OS) for a test collection, stopped after it.
/// If Azurite cannot start, every test in the collection fails with the one-line reason; none is skipped.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? _server;
    private int _names;

    public AzuriteAccount Account => Server.Account;

    /// <summary>The app's storage connection, on this Azurite.</summary>
    public StorageConnection Connection => StorageConnection.FromConnectionString(ConnectionString);

    public string ConnectionString => Server.ConnectionString;

    public int ProcessId => Server.ProcessId;

    private AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync() =>
        _server = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot())).ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A name no other test in this run uses (lowercase letters and digits: valid for tables, containers and queues).</summary>
    public string UniqueName(string prefix) =>
        prefix + Interlocked.Increment(ref _names).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    public TableServiceClient TableService(TableClientOptions? options = null) => new(ConnectionString, options ?? FastRetries(new TableClientOptions()));

    public BlobServiceClient BlobService(BlobClientOptions? options = null) => new(ConnectionString, options ?? FastRetries(new BlobClientOptions()));

    public QueueServiceClient QueueService(QueueClientOptions? options = null) => new(ConnectionString, options ?? FastRetries(new QueueClientOptions()));

    public async Task<TableClient> NewTableAsync(string prefix = "t")
    {
        var table = TableService().GetTableClient(UniqueName(prefix));
        await table.CreateAsync().ConfigureAwait(false);
        return table;
    }

    public async Task<BlobContainerClient> NewContainerAsync(string prefix = "c")
    {
        var container = BlobService().GetBlobContainerClient(UniqueName(prefix));
        await container.CreateAsync().ConfigureAwait(false);
        return container;
    }

    public async Task<QueueClient> NewQueueAsync(string prefix = "q", QueueMessageEncoding encoding = QueueMessageEncoding.None)
    {
        var queue = QueueService(FastRetries(new QueueClientOptions { MessageEncoding = encoding })).GetQueueClient(UniqueName(prefix));
        await queue.CreateAsync().ConfigureAwait(false);
        return queue;
    }

    /// <summary>Keeps retry back-off short so a failing test fails fast; behaviour is otherwise the default.</summary>
    public static T FastRetries<T>(T options)
        where T : ClientOptions
    {
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxRetries = 3;
        return options;
    }
}
