namespace Rtgf.Pipeline.Messages;

/// <summary>Sent by QA when the rebuild matched: publish build <see cref="BuildId"/>.</summary>
public sealed record PublishRequest(string BuildId);
