namespace Rtgf.Pipeline.Messages;

/// <summary>Sent by compile: recompile build <see cref="BuildId"/> (<c>sha256:&lt;hex&gt;</c> of its manifest) from its stored inputs.</summary>
public sealed record QaRequest(string BuildId);
