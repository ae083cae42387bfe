namespace Rtgf.Pipeline.Messages;

/// <summary>
/// Sent by QA when the rebuild matched: publish build <see cref="BuildId"/>. <see cref="Wait"/> is set on the delayed copies
/// the publish stage re-queues while the publication must wait (another one in progress, tokens not yet valid).
/// </summary>
public sealed record PublishRequest(string BuildId, PublishWait? Wait = null);
