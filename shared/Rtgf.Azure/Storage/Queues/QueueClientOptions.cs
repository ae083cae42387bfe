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
public sealed class QueueClientOptions() : StorageClientOptions(SharedKeyScheme.SharedKey)
{
    /// <summary>The Queue service REST version sent as <c>x-ms-version</c>.</summary>
    public string ServiceVersion { get; set; } = "2025-01-05";

    /// <summary>Message body encoding.</summary>
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.None;
}
