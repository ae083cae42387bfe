namespace Rtgf.Azure.Storage.Tables;

/// <summary>How a write treats properties the entity does not name.</summary>
public enum TableUpdateMode
{
    /// <summary>Keep them (MERGE).</summary>
    Merge,

    /// <summary>Drop them (PUT).</summary>
    Replace,
}
