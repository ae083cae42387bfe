namespace Rtgf.Pipeline.Publishing;

/// <summary>One row of an <see cref="IRecordStore"/>: its keys, JSON body and version.</summary>
public sealed record StoredRecord(string Partition, string Row, string Json, string ETag);
