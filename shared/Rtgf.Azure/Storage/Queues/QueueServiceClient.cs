using Azure;
using Azure.Core;
using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Queues;

/// <summary>The Queue service of one account; hands out queue clients sharing one pipeline.</summary>
public sealed class QueueServiceClient
{
    private readonly StorageClientContext _context;
    private readonly QueueMessageEncoding _encoding;

    public QueueServiceClient(string connectionString, QueueClientOptions? options = null)
        : this(ContextFromConnectionString(connectionString, options), options)
    {
    }

    public QueueServiceClient(Uri endpoint, StorageSharedKeyCredential credential, QueueClientOptions? options = null)
        : this(CreateContext(endpoint, new StorageAuthentication(SharedKey: credential), options), options)
    {
    }

    public QueueServiceClient(Uri endpoint, TokenCredential credential, QueueClientOptions? options = null)
        : this(CreateContext(endpoint, new StorageAuthentication(Token: credential), options), options)
    {
    }

    public QueueServiceClient(Uri endpoint, AzureSasCredential credential, QueueClientOptions? options = null)
        : this(CreateContext(endpoint, new StorageAuthentication(Sas: credential), options), options)
    {
    }

    private QueueServiceClient(StorageClientContext context, QueueClientOptions? options)
    {
        _context = context;
        _encoding = options?.MessageEncoding ?? QueueMessageEncoding.None;
    }

    public string AccountName => _context.AccountName;

    public Uri Uri => _context.ServiceEndpoint;

    public QueueClient GetQueueClient(string queueName) => new(_context, queueName, _encoding);

    internal static StorageClientContext ContextFromConnectionString(string connectionString, QueueClientOptions? options) =>
        StorageClientContext.FromConnectionString(connectionString, options ?? new QueueClientOptions());

    internal static StorageClientContext CreateContext(Uri endpoint, StorageAuthentication authentication, QueueClientOptions? options) =>
        StorageClientContext.Create(endpoint, authentication, options ?? new QueueClientOptions());
}
