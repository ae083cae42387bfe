namespace Rtgf.Pipeline.Ingest;

/// <summary>One operation of a single-partition change set: insert, conditional replace, upsert or (conditional) delete.</summary>
public sealed record RowChange(RowChangeKind Kind, string RowKey, MirrorRow? Row = null, string? ETag = null)
{
    public static RowChange Insert(MirrorRow row) => new(RowChangeKind.Insert, row.RowKey, row);

    public static RowChange Replace(MirrorRow row, string etag) => new(RowChangeKind.Replace, row.RowKey, row, etag);

    public static RowChange Upsert(MirrorRow row) => new(RowChangeKind.Upsert, row.RowKey, row);

    public static RowChange Delete(string rowKey, string? etag = null) => new(RowChangeKind.Delete, rowKey, null, etag);
}
