namespace Rtgf.CustomHandler.Metadata;

/// <summary>Storage queue trigger settings (<c>extensions.queues</c>), with the host's defaults.</summary>
public sealed record QueuesSettings(int MaxDequeueCount, TimeSpan VisibilityTimeout, int BatchSize, string MessageEncoding, TimeSpan MaxPollingInterval);
