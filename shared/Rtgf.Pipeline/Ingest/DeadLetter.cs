namespace Rtgf.Pipeline.Ingest;

/// <summary>A queue message set aside without retrying: which queue, which message, why, and the start of its body.</summary>
public sealed record DeadLetter(string Queue, string MessageId, string Reason, string BodyExcerpt, DateTimeOffset RecordedAt);
