using Azure;

namespace Rtgf.Azure.Storage.Tables;

/// <summary>One operation in an entity-group transaction.</summary>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag ETag = default);
