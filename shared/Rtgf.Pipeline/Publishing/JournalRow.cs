namespace Rtgf.Pipeline.Publishing;

/// <summary>A log append about to happen (or done): the index it expects its first entry at, how many, and their digest.</summary>
internal sealed record JournalRow(long FirstIndex, int Count, string Digest);
