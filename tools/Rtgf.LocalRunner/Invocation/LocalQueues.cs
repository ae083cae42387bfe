using System.Collections.Concurrent;
using Azure.Storage.Queues;

namespace Rtgf.LocalRunner.Invocation;

/// <summary>
/// The Storage queues that carry messages in a local run: one per queue a function reads or writes (Service
/// Bus queues keep their names), plus the dead-letter queue beside each trigger queue.
/// </summary>
internal sealed class LocalQueues(QueueServiceClient service)
{
    private readonly ConcurrentDictionary<string, QueueClient> _queues = new(StringComparer.Ordinal);

    /// <summary>Where a Service Bus trigger's dead letters go (<c>{queue}/$deadletterqueue</c> in Azure).</summary>
    public static string DeadLetterQueue(string queue) => queue + "-deadletter";

    /// <summary>Where a Storage queue trigger's poison messages go, as the host names it.</summary>
    public static string PoisonQueue(string queue) => queue + "-poison";

    public Uri ServiceUri => service.Uri;

    public QueueClient Get(string name) => _queues.GetOrAdd(name, service.GetQueueClient);

    public async Task CreateAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await Get(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
