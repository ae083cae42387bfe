using System.Globalization;
using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage;

/// <summary>
/// A parsed Azure Storage connection string: <c>UseDevelopmentStorage=true</c>, account name and key with
/// an endpoint suffix, explicit per-service endpoints, or a shared access signature.
/// </summary>
/// <remarks>Parsing errors never echo the string back: it usually holds a secret.</remarks>
public sealed class StorageConnectionString
{
    /// <summary>Azurite's well-known development account (public, documented, not a secret).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (public, documented, not a secret).</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageConnectionString(
        string accountName,
        StorageSharedKeyCredential? sharedKey,
        string? sharedAccessSignature,
        Uri? blobEndpoint,
        Uri? queueEndpoint,
        Uri? tableEndpoint,
        bool isDevelopmentStorage)
    {
        AccountName = accountName;
        SharedKeyCredential = sharedKey;
        SharedAccessSignature = sharedAccessSignature;
        BlobEndpoint = blobEndpoint;
        QueueEndpoint = queueEndpoint;
        TableEndpoint = tableEndpoint;
        IsDevelopmentStorage = isDevelopmentStorage;
    }

    /// <summary>The storage account name (derived from the endpoint when the string names none).</summary>
    public string AccountName { get; }

    /// <summary>Shared key credential, when the string carries an account key.</summary>
    public StorageSharedKeyCredential? SharedKeyCredential { get; }

    /// <summary>Shared access signature (without a leading '?'), when the string carries one.</summary>
    public string? SharedAccessSignature { get; }

    public Uri? BlobEndpoint { get; }

    public Uri? QueueEndpoint { get; }

    public Uri? TableEndpoint { get; }

    /// <summary>True for <c>UseDevelopmentStorage=true</c> (Azurite on its default ports).</summary>
    public bool IsDevelopmentStorage { get; }

    /// <summary>Parses a connection string; throws <see cref="FormatException"/> naming the problem.</summary>
    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = ParseSettings(connectionString);

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev))
        {
            if (!string.Equals(dev, "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("Storage connection string: UseDevelopmentStorage must be 'true' when present.");
            }

            if (settings.ContainsKey("DevelopmentStorageProxyUri"))
            {
                throw new FormatException("Storage connection string: DevelopmentStorageProxyUri is not supported.");
            }

            return Development(
                new Uri("http://127.0.0.1:10000/devstoreaccount1"),
                new Uri("http://127.0.0.1:10001/devstoreaccount1"),
                new Uri("http://127.0.0.1:10002/devstoreaccount1"),
                isDevelopmentStorage: true);
        }

        settings.TryGetValue("AccountName", out var accountName);
        settings.TryGetValue("AccountKey", out var accountKey);
        settings.TryGetValue("SharedAccessSignature", out var sas);
        if (accountKey is not null && sas is not null)
        {
            throw new FormatException("Storage connection string: give either AccountKey or SharedAccessSignature, not both.");
        }

        var protocol = settings.TryGetValue("DefaultEndpointsProtocol", out var p) ? p.ToLowerInvariant() : "https";
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException("Storage connection string: DefaultEndpointsProtocol must be 'http' or 'https'.");
        }

        var suffix = settings.TryGetValue("EndpointSuffix", out var s) ? s : "core.windows.net";
        var blob = Endpoint(settings, "BlobEndpoint", protocol, accountName, "blob", suffix);
        var queue = Endpoint(settings, "QueueEndpoint", protocol, accountName, "queue", suffix);
        var table = Endpoint(settings, "TableEndpoint", protocol, accountName, "table", suffix);
        if (blob is null && queue is null && table is null)
        {
            throw new FormatException("Storage connection string: it names no endpoint (give AccountName, or BlobEndpoint/QueueEndpoint/TableEndpoint).");
        }

        accountName ??= StorageUris.AccountName(blob ?? queue ?? table!);
        if (accountKey is not null && accountName.Length == 0)
        {
            throw new FormatException("Storage connection string: AccountKey needs an AccountName.");
        }

        StorageSharedKeyCredential? key = null;
        if (accountKey is not null)
        {
            try
            {
                key = new StorageSharedKeyCredential(accountName, accountKey);
            }
            catch (FormatException)
            {
                throw new FormatException("Storage connection string: AccountKey is not valid base64.");
            }
        }

        return new StorageConnectionString(accountName, key, sas?.TrimStart('?'), blob, queue, table, isDevelopmentStorage: false);
    }

    /// <summary>Azurite at explicit endpoints (for emulators started on other ports).</summary>
    public static StorageConnectionString Development(Uri blobEndpoint, Uri queueEndpoint, Uri tableEndpoint, bool isDevelopmentStorage = false) =>
        new(
            DevelopmentAccountName,
            new StorageSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey),
            sharedAccessSignature: null,
            blobEndpoint,
            queueEndpoint,
            tableEndpoint,
            isDevelopmentStorage);

    /// <summary>
    /// The explicit-endpoint form of this connection string. Includes the account key: treat the result as a secret.
    /// </summary>
    public string ToConnectionString()
    {
        var parts = new List<string>();
        var anyEndpoint = BlobEndpoint ?? QueueEndpoint ?? TableEndpoint;
        if (anyEndpoint is not null)
        {
            parts.Add("DefaultEndpointsProtocol=" + anyEndpoint.Scheme);
        }

        parts.Add("AccountName=" + AccountName);
        if (SharedKeyCredential is not null)
        {
            parts.Add("AccountKey=" + SharedKeyCredential.ExportBase64Key());
        }

        if (SharedAccessSignature is not null)
        {
            parts.Add("SharedAccessSignature=" + SharedAccessSignature);
        }

        if (BlobEndpoint is not null)
        {
            parts.Add("BlobEndpoint=" + BlobEndpoint.AbsoluteUri.TrimEnd('/'));
        }

        if (QueueEndpoint is not null)
        {
            parts.Add("QueueEndpoint=" + QueueEndpoint.AbsoluteUri.TrimEnd('/'));
        }

        if (TableEndpoint is not null)
        {
            parts.Add("TableEndpoint=" + TableEndpoint.AbsoluteUri.TrimEnd('/'));
        }

        return string.Join(';', parts) + ";";
    }

    /// <summary>A description safe to log: account and endpoints, never the key or signature.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"account={AccountName} blob={BlobEndpoint} queue={QueueEndpoint} table={TableEndpoint} auth={(SharedKeyCredential is not null ? "shared-key" : SharedAccessSignature is not null ? "sas" : "none")}");

    private static Dictionary<string, string> ParseSettings(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var rawPart in connectionString.Split(';'))
        {
            var part = rawPart.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            // Values (keys, signatures) may contain '='; only the first one separates the name.
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException("Storage connection string: every setting must look like Name=Value.");
            }

            var name = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (!settings.TryAdd(name, value))
            {
                throw new FormatException($"Storage connection string: setting '{name}' appears twice.");
            }
        }

        return settings;
    }

    private static Uri? Endpoint(Dictionary<string, string> settings, string name, string protocol, string? account, string service, string suffix)
    {
        if (settings.TryGetValue(name, out var explicitEndpoint))
        {
            if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new FormatException($"Storage connection string: {name} must be an absolute http(s) URI.");
            }

            return uri;
        }

        return account is { Length: > 0 }
            ? new Uri($"{protocol}://{account}.{service}.{suffix}")
            : null;
    }
}
