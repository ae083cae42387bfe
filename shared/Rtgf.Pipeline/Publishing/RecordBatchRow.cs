namespace Rtgf.Pipeline.Publishing;

/// <summary>One row of a batch write: its row key and JSON body (the partition is the batch's).</summary>
public sealed record RecordBatchRow(string Row, string Json);
