using Rtgf.Transparency.Checkpoints;

namespace Rtgf.Transparency.Integration;

/// <summary>The log's current verified checkpoint; <see cref="Note"/> and <see cref="Version"/> are null while nothing has been published.</summary>
public sealed record LogState(Checkpoint Checkpoint, string? Note, string? Version);
