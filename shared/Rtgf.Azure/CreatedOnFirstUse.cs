using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Rtgf.Azure.Blobs;
using Rtgf.Azure.Queues;
using Rtgf.Azure.Tables;

namespace Rtgf.Azure;

/// <summary>
/// The one create-on-first-use helper of our stores (docs/spec/storage.md): a table, blob container or queue is created the first
/// time a store needs it; a failed creation is tried again on the next use (a creation is never cancelled: other callers
/// may await it), and two instances racing to create it are harmless (creation is "if not exists").
/// </summary>
public sealed class CreatedOnFirstUse<TClient>(TClient client, Func<TClient, CancellationToken, Task> create)
    where TClient : class
{
    private Task? _created;

    public TClient Client => client;

    /// <summary>The client, once the resource exists.</summary>
    public async Task<TClient> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = Volatile.Read(ref _created);
            if (current is not null && !current.IsFaulted && !current.IsCanceled)
            {
                await current.WaitAsync(cancellationToken).ConfigureAwait(false);
                return client;
            }

            // One creation per attempt, whoever wins the swap; the others await it. Not bound to any caller's token: a
            // creation another caller awaits must not fail because this one gave up. Each caller sees at most one
            // attempt's outcome, so a failing creation fails its callers instead of being retried in a loop.
            cancellationToken.ThrowIfCancellationRequested(); // a caller that already gave up starts no creation
            var attempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Interlocked.CompareExchange(ref _created, attempt.Task, current) == current)
            {
                _ = CreateAsync(attempt);
                await attempt.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                return client;
            }
        }
    }

    private async Task CreateAsync(TaskCompletionSource attempt)
    {
        try
        {
            await create(client, CancellationToken.None).ConfigureAwait(false);
            attempt.SetResult();
        }
        catch (Exception e)
        {
            attempt.SetException(e);
            _ = attempt.Task.Exception; // observed: its callers got it, or gave up; the next use tries again
        }
    }
}

/// <summary>Tables, containers and queues created on first use.</summary>
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

    public static CreatedOnFirstUse<QueueClient> Queue(QueueServiceClient service, string name)
    {
        ArgumentNullException.ThrowIfNull(service);
        QueueLimits.ValidateQueueName(name);
        return new(service.GetQueueClient(name), static (queue, ct) => queue.CreateIfNotExistsAsync(cancellationToken: ct));
    }
}
