using Azure;

namespace Rtgf.Azure.Storage.Tables;

/// <summary>
/// An entity-group transaction was rejected and nothing in it was committed.
/// <see cref="FailedTransactionActionIndex"/> names the operation the service refused.
/// </summary>
public sealed class TableTransactionFailedException : RequestFailedException
{
    public TableTransactionFailedException(int status, string message, string? errorCode, int? failedTransactionActionIndex)
        : base(status, message, errorCode, null)
    {
        FailedTransactionActionIndex = failedTransactionActionIndex;
    }

    /// <summary>Zero-based index of the failing action in the submitted list, when the service named it.</summary>
    public int? FailedTransactionActionIndex { get; }
}
