namespace Rtgf.Azure.Storage.Queues;

/// <summary>What the queue returns for a sent message.</summary>
public sealed record SendReceipt(string MessageId, string PopReceipt, DateTimeOffset InsertionTime, DateTimeOffset? ExpirationTime, DateTimeOffset TimeNextVisible);
