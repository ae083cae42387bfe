using Azure;

namespace Rtgf.Azure.Storage.Tables;

/// <summary>The operations an entity-group transaction can hold.</summary>
public enum TableTransactionActionType
{
    /// <summary>Insert; fails if the entity exists.</summary>
    Add,

    /// <summary>Delete, conditional on the action's ETag (<see cref="ETag.All"/> by default).</summary>
    Delete,

    /// <summary>Merge into an existing entity, conditional on the ETag.</summary>
    UpdateMerge,

    /// <summary>Replace an existing entity, conditional on the ETag.</summary>
    UpdateReplace,

    /// <summary>Insert or merge.</summary>
    UpsertMerge,

    /// <summary>Insert or replace.</summary>
    UpsertReplace,
}
