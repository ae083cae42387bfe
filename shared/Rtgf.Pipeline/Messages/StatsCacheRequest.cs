namespace Rtgf.Pipeline.Messages;

/// <summary>Sent by publish when build <see cref="BuildId"/>'s publication has landed: compute and store its statistics once.</summary>
public sealed record StatsCacheRequest(string BuildId);
