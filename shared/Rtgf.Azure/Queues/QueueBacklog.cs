using Azure;
using Azure.Storage.Queues;
using Rtgf.Azure.Connections;

namespace Rtgf.Azure.Queues;

/// <summary>
/// A queue's approximate message count (saturation: docs/spec/telemetry.md). Storage answers it from the queue's
/// properties; a queue not created yet holds nothing.
/// </summary>
public sealed class QueueBacklog(StorageConnection connection)
{
    private readonly QueueServiceClient _service = connection.Queues();

    public async Task<long> CountAsync(string queueName, CancellationToken cancellationToken = default)
    {
        try
        {
            var properties = await _service.GetQueueClient(queueName).GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            return properties.Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }
}
