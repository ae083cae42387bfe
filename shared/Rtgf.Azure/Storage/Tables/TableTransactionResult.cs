using Azure;

namespace Rtgf.Azure.Storage.Tables;

/// <summary>The outcome of one committed operation.</summary>
public sealed record TableTransactionResult(int Status, ETag ETag);
