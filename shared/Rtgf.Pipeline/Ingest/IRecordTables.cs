namespace Rtgf.Pipeline.Ingest;

/// <summary>Opens record tables by name (created on first use).</summary>
public interface IRecordTables
{
    IRecordTable Open(string name);
}
