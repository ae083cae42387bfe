using System.Text.Json;
using Azure;
using Azure.Core;
using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Tables;

/// <summary>The Table service of one account: create, delete and list tables; hand out <see cref="TableClient"/>s.</summary>
public sealed class TableServiceClient
{
    private readonly StorageClientContext _context;

    public TableServiceClient(string connectionString, TableClientOptions? options = null)
        : this(ContextFromConnectionString(connectionString, options))
    {
    }

    public TableServiceClient(Uri endpoint, StorageSharedKeyCredential credential, TableClientOptions? options = null)
        : this(CreateContext(endpoint, new StorageAuthentication(SharedKey: credential), options))
    {
    }

    public TableServiceClient(Uri endpoint, TokenCredential credential, TableClientOptions? options = null)
        : this(CreateContext(endpoint, new StorageAuthentication(Token: credential), options))
    {
    }

    public TableServiceClient(Uri endpoint, AzureSasCredential credential, TableClientOptions? options = null)
        : this(CreateContext(endpoint, new StorageAuthentication(Sas: credential), options))
    {
    }

    private TableServiceClient(StorageClientContext context) => _context = context;

    public string AccountName => _context.AccountName;

    public Uri Uri => _context.ServiceEndpoint;

    /// <summary>A client for one table (no request is made).</summary>
    public TableClient GetTableClient(string tableName) => new(_context, tableName);

    /// <summary>Creates the table unless it exists.</summary>
    public async Task<TableClient> CreateTableIfNotExistsAsync(string tableName, CancellationToken cancellationToken = default)
    {
        var client = GetTableClient(tableName);
        await client.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        return client;
    }

    /// <summary>Deletes the table; a missing table is not an error.</summary>
    public Task<Response> DeleteTableAsync(string tableName, CancellationToken cancellationToken = default) =>
        GetTableClient(tableName).DeleteAsync(cancellationToken);

    /// <summary>Lists tables (optionally filtered, e.g. <c>TableName ge 'a'</c>), following continuation tokens.</summary>
    public AsyncPageable<string> QueryTablesAsync(string? filter = null, int? maxPerPage = null, CancellationToken cancellationToken = default) =>
        new StoragePageable<string>(
            async (continuation, hint, ct) =>
            {
                var query = new List<string>();
                if (filter is not null)
                {
                    query.Add("$filter=" + Uri.EscapeDataString(filter));
                }

                if ((maxPerPage ?? hint) is { } top)
                {
                    query.Add("$top=" + top.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                if (continuation is not null)
                {
                    query.Add("NextTableName=" + Uri.EscapeDataString(continuation));
                }

                var uri = new Uri(_context.ResourceUri("Tables").AbsoluteUri + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty));
                using var message = _context.CreateMessage(RequestMethod.Get, uri);
                message.Request.Headers.SetValue("Accept", "application/json;odata=nometadata");
                message.Request.Headers.SetValue("DataServiceVersion", "3.0;");
                var response = await _context.SendAsync(message, ct).ConfigureAwait(false);
                using var document = JsonDocument.Parse(response.Content.ToMemory());
                var names = document.RootElement.GetProperty("value").EnumerateArray()
                    .Select(t => t.GetProperty("TableName").GetString()!)
                    .ToList();
                response.Headers.TryGetValue("x-ms-continuation-NextTableName", out var next);
                return Page<string>.FromValues(names, string.IsNullOrEmpty(next) ? null : next, response);
            },
            cancellationToken);

    internal static StorageClientContext ContextFromConnectionString(string connectionString, TableClientOptions? options) =>
        StorageClientContext.FromConnectionString(connectionString, options ?? new TableClientOptions());

    internal static StorageClientContext CreateContext(Uri endpoint, StorageAuthentication authentication, TableClientOptions? options) =>
        StorageClientContext.Create(endpoint, authentication, options ?? new TableClientOptions());

    internal static async Task<Response> CreateTableAsync(StorageClientContext context, string tableName, bool throwIfExists, CancellationToken cancellationToken)
    {
        using var message = context.CreateMessage(RequestMethod.Post, context.ResourceUri("Tables"));
        message.Request.Headers.SetValue("Accept", "application/json;odata=nometadata");
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Headers.SetValue("DataServiceVersion", "3.0;");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = tableName }));
        var response = await context.SendAsync(message, cancellationToken, 409).ConfigureAwait(false);
        if (response.Status == 409)
        {
            // Only "already exists" is success for CreateIfNotExists; "being deleted" must surface.
            var exists = response.Headers.TryGetValue("x-ms-error-code", out var code)
                ? code == "TableAlreadyExists"
                : StorageErrorParser.ParseBody(response.Content).Code == "TableAlreadyExists";
            if (throwIfExists || !exists)
            {
                throw new RequestFailedException(response, null, StorageErrorParser.Instance);
            }
        }

        return response;
    }

    internal static async Task<Response> DeleteTableAsync(StorageClientContext context, string tableName, CancellationToken cancellationToken)
    {
        var literal = "Tables('" + Uri.EscapeDataString(tableName) + "')";
        using var message = context.CreateMessage(RequestMethod.Delete, context.ResourceUri(literal));
        message.Request.Headers.SetValue("Accept", "application/json;odata=nometadata");
        message.Request.Headers.SetValue("DataServiceVersion", "3.0;");
        return await context.SendAsync(message, cancellationToken, 404).ConfigureAwait(false);
    }
}
