namespace Rtgf.Azure.Storage.Queues;

/// <summary>Queue properties: an approximate message count and metadata.</summary>
public sealed record QueueProperties(int ApproximateMessagesCount, IReadOnlyDictionary<string, string> Metadata);
