namespace Rtgf.Pipeline.Ingest;

/// <summary>The kinds of <see cref="RowChange"/>.</summary>
public enum RowChangeKind
{
    Insert,
    Replace,
    Upsert,
    Delete,
}
