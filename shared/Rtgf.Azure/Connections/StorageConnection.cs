using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Rtgf.Pipeline.Configuration;

namespace Rtgf.Azure.Connections;

/// <summary>
/// A storage connection named the way the Functions host names them (docs/spec/storage.md), so the same settings serve the
/// app and its triggers: either <c>{name}</c> holds a connection string (Azurite, local development), or
/// <c>{name}__blobServiceUri</c>, <c>{name}__queueServiceUri</c> and <c>{name}__tableServiceUri</c> (or
/// <c>{name}__accountName</c>) name the endpoints and a Microsoft Entra identity signs in: <c>{name}__credential</c> =
/// <c>managedidentity</c> with an optional <c>{name}__clientId</c> or <c>{name}__managedIdentityResourceId</c> (a
/// user-assigned identity), otherwise
/// <see cref="DefaultAzureCredential"/>. In Azure a connection string carrying an account key or SAS is refused.
/// </summary>
public sealed class StorageConnection
{
    /// <summary>The connection our stores and queue triggers use.</summary>
    public const string DefaultName = "RtgfStorage";

    private readonly string? _connectionString;
    private readonly Uri? _blobs;
    private readonly Uri? _queues;
    private readonly Uri? _tables;
    private readonly TokenCredential? _credential;

    private StorageConnection(string name, string? connectionString, Uri? blobs, Uri? queues, Uri? tables, TokenCredential? credential)
    {
        Name = name;
        _connectionString = connectionString;
        _blobs = blobs;
        _queues = queues;
        _tables = tables;
        _credential = credential;
    }

    public string Name { get; }

    /// <summary>Whether the connection signs in with an identity (no connection string).</summary>
    public bool IsIdentityBased => _credential is not null;

    /// <summary>The identity it signs in with, if any.</summary>
    internal TokenCredential? Credential => _credential;

    /// <summary>Which identity the settings name (null for a connection string).</summary>
    internal StorageIdentity? Identity { get; private init; }

    /// <summary>A connection string's connection (Azurite, tests, tools).</summary>
    public static StorageConnection FromConnectionString(string connectionString, string name = DefaultName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new StorageConnection(name, connectionString, null, null, null, null);
    }

    /// <summary>
    /// Reads connection <paramref name="name"/> through <paramref name="setting"/> (the app's configuration, where
    /// <c>__</c> in an environment variable reads as <c>:</c>; both spellings are looked up). <paramref name="credential"/>
    /// replaces the identity the settings name, for a caller that already holds one.
    /// </summary>
    public static StorageConnection FromSettings(Func<string, string?> setting, string name = DefaultName, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string? Read(string key) => setting($"{name}__{key}") is { Length: > 0 } v ? v : setting($"{name}:{key}") is { Length: > 0 } w ? w : null;

        if (setting(name) is { Length: > 0 } connectionString)
        {
            if (AzureHosting.IsAzure(setting) && HasSecret(connectionString))
            {
                throw new InvalidOperationException(
                    $"The app setting '{name}' is a connection string with an account key or SAS, which is refused on Azure ({AzureHosting.MarkerSetting} is set): " +
                    $"set {name}__blobServiceUri, {name}__queueServiceUri and {name}__tableServiceUri and grant the app's managed identity the storage data roles.");
            }

            return FromConnectionString(connectionString, name);
        }

        var account = Read("accountName");
        if (account is not null && (Read("blobServiceUri") ?? Read("queueServiceUri") ?? Read("tableServiceUri")) is not null)
        {
            throw new InvalidOperationException($"The storage connection '{name}' sets both {name}__accountName and a service URI: set one or the other.");
        }

        var blobs = Endpoint(Read("blobServiceUri"), account, "blob", name);
        var queues = Endpoint(Read("queueServiceUri"), account, "queue", name);
        var tables = Endpoint(Read("tableServiceUri"), account, "table", name);
        if (blobs is null && queues is null && tables is null)
        {
            throw new InvalidOperationException(
                $"The storage connection '{name}' is not configured: set '{name}' to a connection string (Azurite: UseDevelopmentStorage=true) or " +
                $"{name}__blobServiceUri, {name}__queueServiceUri and {name}__tableServiceUri (identity-based, as in Azure).");
        }

        var identity = IdentityOf(Read("credential"), Read("clientId"), Read("managedIdentityResourceId"), name);
        credential ??= identity.Credential();
        return new StorageConnection(name, null, blobs, queues, tables, credential) { Identity = identity };
    }

    public TableServiceClient Tables(TableClientOptions? options = null) =>
        _connectionString is not null ? new TableServiceClient(_connectionString, options) : new TableServiceClient(Require(_tables, "tableServiceUri"), _credential, options);

    public BlobServiceClient Blobs(BlobClientOptions? options = null) =>
        _connectionString is not null ? new BlobServiceClient(_connectionString, options) : new BlobServiceClient(Require(_blobs, "blobServiceUri"), _credential, options);

    public QueueServiceClient Queues(QueueClientOptions? options = null) =>
        _connectionString is not null ? new QueueServiceClient(_connectionString, options) : new QueueServiceClient(Require(_queues, "queueServiceUri"), _credential, options);

    private Uri Require(Uri? endpoint, string key) => endpoint
        ?? throw new InvalidOperationException($"The storage connection '{Name}' has no {Name}__{key} (nor {Name}__accountName), and this app needs that service.");

    // As the host reads them: credential=managedidentity means a managed identity only; otherwise DefaultAzureCredential,
    // whose managed identity is the user-assigned one named, if any. Naming it twice is ambiguous, so refused.
    private static StorageIdentity IdentityOf(string? credential, string? clientId, string? resourceId, string name)
    {
        if (clientId is not null && resourceId is not null)
        {
            throw new InvalidOperationException($"The storage connection '{name}' names its identity twice ({name}__clientId and {name}__managedIdentityResourceId): keep one.");
        }

        var managedOnly = string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase);
        return new StorageIdentity(managedOnly, clientId, resourceId);
    }

    private static Uri? Endpoint(string? uri, string? account, string service, string name)
    {
        if (uri is not null)
        {
            // Tokens never travel over plain HTTP, and a query string could carry a SAS: neither is echoed back.
            return Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps && parsed.Query.Length == 0
                ? parsed
                : throw new InvalidOperationException(
                    $"The setting {name}__{service}ServiceUri must be an absolute https URI without a query string, such as https://<account>.{service}.core.windows.net.");
        }

        return account is null ? null : new Uri($"https://{account}.{service}.core.windows.net", UriKind.Absolute);
    }

    private static bool HasSecret(string connectionString) =>
        connectionString.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase)
        || connectionString.Contains("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase)
        || connectionString.Contains("UseDevelopmentStorage=", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The identity a storage connection's settings name: a managed identity only, or DefaultAzureCredential; user-assigned by client or resource id.</summary>
internal sealed record StorageIdentity(bool ManagedIdentityOnly, string? ClientId, string? ResourceId)
{
    public TokenCredential Credential()
    {
        if (ManagedIdentityOnly)
        {
            return new ManagedIdentityCredential(
                ClientId is not null ? ManagedIdentityId.FromUserAssignedClientId(ClientId)
                : ResourceId is not null ? ManagedIdentityId.FromUserAssignedResourceId(new ResourceIdentifier(ResourceId))
                : ManagedIdentityId.SystemAssigned);
        }

        var options = new DefaultAzureCredentialOptions();
        if (ClientId is not null)
        {
            options.ManagedIdentityClientId = ClientId;
        }
        else if (ResourceId is not null)
        {
            options.ManagedIdentityResourceId = new ResourceIdentifier(ResourceId);
        }

        return new DefaultAzureCredential(options);
    }
}
