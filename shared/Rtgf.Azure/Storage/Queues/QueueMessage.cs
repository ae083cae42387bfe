namespace Rtgf.Azure.Storage.Queues;

/// <summary>A received message: invisible to others until its visibility timeout ends or it is deleted.</summary>
public sealed record QueueMessage(
    string MessageId,
    string PopReceipt,
    BinaryData Body,
    long DequeueCount,
    DateTimeOffset InsertedOn,
    DateTimeOffset? ExpiresOn,
    DateTimeOffset NextVisibleOn)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string MessageText => Body.ToString();
}
