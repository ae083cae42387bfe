using Azure;
using Azure.Core;
using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Blobs;

/// <summary>The Blob service of one account; hands out container clients sharing one pipeline.</summary>
public sealed class BlobServiceClient
{
    private readonly StorageClientContext _context;

    public BlobServiceClient(string connectionString, BlobClientOptions? options = null)
        : this(ContextFromConnectionString(connectionString, options))
    {
    }

    public BlobServiceClient(Uri endpoint, StorageSharedKeyCredential credential, BlobClientOptions? options = null)
        : this(CreateContext(endpoint, new StorageAuthentication(SharedKey: credential), options))
    {
    }

    public BlobServiceClient(Uri endpoint, TokenCredential credential, BlobClientOptions? options = null)
        : this(CreateContext(endpoint, new StorageAuthentication(Token: credential), options))
    {
    }

    public BlobServiceClient(Uri endpoint, AzureSasCredential credential, BlobClientOptions? options = null)
        : this(CreateContext(endpoint, new StorageAuthentication(Sas: credential), options))
    {
    }

    private BlobServiceClient(StorageClientContext context) => _context = context;

    public string AccountName => _context.AccountName;

    public Uri Uri => _context.ServiceEndpoint;

    public BlobContainerClient GetBlobContainerClient(string containerName) => new(_context, containerName);

    internal static StorageClientContext ContextFromConnectionString(string connectionString, BlobClientOptions? options) =>
        StorageClientContext.FromConnectionString(connectionString, options ?? new BlobClientOptions());

    internal static StorageClientContext CreateContext(Uri endpoint, StorageAuthentication authentication, BlobClientOptions? options) =>
        StorageClientContext.Create(endpoint, authentication, options ?? new BlobClientOptions());
}
