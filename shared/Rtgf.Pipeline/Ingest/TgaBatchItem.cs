namespace Rtgf.Pipeline.Ingest;

/// <summary>One code of a batch; deletions carry the upstream deletion time.</summary>
public sealed record TgaBatchItem(string Code, DateTimeOffset? DeletedAt = null);
