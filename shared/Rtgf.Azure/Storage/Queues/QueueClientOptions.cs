using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Queues;

/// <summary>How message text is put on the wire.</summary>
public enum QueueMessageEncoding
{
    /// <summary>The text as is (must be XML-safe). The SDK default.</summary>
    None,

    /// <summary>Base64 of the bytes: what the Azure Functions queue trigger expects by default.</summary>
    Base64,
}

/// <summary>Options for the queue clients.</summary>
public sealed class QueueClientOptions() : StorageClientOptions(StorageService.Queue, "2025-01-05", SharedKeyScheme.SharedKey)
{

    /// <summary>Message body encoding.</summary>
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.None;
}
