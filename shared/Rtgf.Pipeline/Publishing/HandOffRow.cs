namespace Rtgf.Pipeline.Publishing;

/// <summary>A build handed to the next stage's queue: the delivered message that claimed the hand-off, and when.</summary>
internal sealed record HandOffRow(string MessageId, DateTimeOffset ClaimedAt);
