namespace Rtgf.CustomHandler.Metadata;

/// <summary>Service Bus trigger settings (<c>extensions.serviceBus</c>), with the host's defaults.</summary>
public sealed record ServiceBusSettings(int MaxConcurrentCalls, TimeSpan MaxAutoLockRenewalDuration);
