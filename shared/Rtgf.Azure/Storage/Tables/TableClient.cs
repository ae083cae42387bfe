using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Tables;

/// <summary>
/// Operations on one table and its entities (shaped like Azure.Data.Tables' <c>TableClient</c>).
/// Entities are validated against the service's limits before anything is sent.
/// </summary>
public sealed class TableClient
{
    private const string JsonAccept = "application/json;odata=minimalmetadata";
    private readonly StorageClientContext _context;
    private readonly string _escapedName;

    public TableClient(string connectionString, string tableName, TableClientOptions? options = null)
        : this(TableServiceClient.ContextFromConnectionString(connectionString, options), tableName)
    {
    }

    public TableClient(Uri endpoint, string tableName, StorageSharedKeyCredential credential, TableClientOptions? options = null)
        : this(TableServiceClient.CreateContext(endpoint, new StorageAuthentication(SharedKey: credential), options), tableName)
    {
    }

    public TableClient(Uri endpoint, string tableName, TokenCredential credential, TableClientOptions? options = null)
        : this(TableServiceClient.CreateContext(endpoint, new StorageAuthentication(Token: credential), options), tableName)
    {
    }

    public TableClient(Uri endpoint, string tableName, AzureSasCredential credential, TableClientOptions? options = null)
        : this(TableServiceClient.CreateContext(endpoint, new StorageAuthentication(Sas: credential), options), tableName)
    {
    }

    internal TableClient(StorageClientContext context, string tableName)
    {
        TableLimits.ValidateTableName(tableName);
        _context = context;
        Name = tableName;
        _escapedName = Uri.EscapeDataString(tableName);
        Uri = context.ResourceUri(_escapedName);
    }

    public string Name { get; }

    public string AccountName => _context.AccountName;

    public Uri Uri { get; }

    /// <summary>Formats a filter with typed, escaped values: <c>CreateQueryFilter($"PartitionKey eq {pk}")</c>.</summary>
    public static string CreateQueryFilter(FormattableString filter) => TableOData.CreateFilter(filter);

    /// <summary>Creates the table; throws 409 <c>TableAlreadyExists</c> if it exists.</summary>
    public Task<Response> CreateAsync(CancellationToken cancellationToken = default) =>
        Run("TableClient.Create", () => TableServiceClient.CreateTableAsync(_context, Name, throwIfExists: true, cancellationToken));

    /// <summary>Creates the table unless it exists (a table being deleted still throws).</summary>
    public Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        Run("TableClient.CreateIfNotExists", () => TableServiceClient.CreateTableAsync(_context, Name, throwIfExists: false, cancellationToken));

    /// <summary>Deletes the table; a missing table is not an error.</summary>
    public Task<Response> DeleteAsync(CancellationToken cancellationToken = default) =>
        Run("TableClient.Delete", () => TableServiceClient.DeleteTableAsync(_context, Name, cancellationToken));

    /// <summary>Inserts the entity; throws 409 <c>EntityAlreadyExists</c> if it exists. The new ETag is in the response headers.</summary>
    public Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        TableLimits.ValidateEntity(entity);
        return Run("TableClient.AddEntity", async () =>
        {
            using var message = _context.CreateMessage(RequestMethod.Post, Uri);
            SetJsonHeaders(message.Request);
            message.Request.Headers.SetValue("Prefer", "return-no-content");
            message.Request.Content = RequestContent.Create(TableEdm.Serialize(entity));
            var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
            CaptureETag(entity, response);
            return response;
        });
    }

    /// <summary>Inserts or replaces/merges the entity without any condition.</summary>
    public Task<Response> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        WriteEntityAsync("TableClient.UpsertEntity", entity, mode, ifMatch: null, cancellationToken);

    /// <summary>
    /// Replaces/merges an existing entity if its ETag still matches (<see cref="ETag.All"/> for any version).
    /// A changed entity gives 412 <c>UpdateConditionNotSatisfied</c>; a missing one 404.
    /// </summary>
    public Task<Response> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        if (ifMatch == default)
        {
            throw new ArgumentException("UpdateEntity needs an ETag; pass ETag.All to update any version.", nameof(ifMatch));
        }

        return WriteEntityAsync("TableClient.UpdateEntity", entity, mode, ifMatch, cancellationToken);
    }

    /// <summary>
    /// Deletes the entity if its ETag matches (default: any version). A missing entity is not an error;
    /// a changed one gives 412.
    /// </summary>
    public Task<Response> DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        TableLimits.ValidateKey(partitionKey, "PartitionKey");
        TableLimits.ValidateKey(rowKey, "RowKey");
        return Run("TableClient.DeleteEntity", async () =>
        {
            using var message = _context.CreateMessage(RequestMethod.Delete, EntityUri(partitionKey, rowKey));
            SetJsonHeaders(message.Request);
            message.Request.Headers.SetValue("If-Match", (ifMatch == default ? ETag.All : ifMatch).ToString("H"));
            return await _context.SendAsync(message, cancellationToken, 404).ConfigureAwait(false);
        });
    }

    /// <summary>Reads one entity; throws 404 <c>ResourceNotFound</c> if it does not exist.</summary>
    public async Task<Response<TableEntity>> GetEntityAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var (entity, response) = await GetEntityCoreAsync("TableClient.GetEntity", partitionKey, rowKey, select, throwIfMissing: true, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(entity!, response);
    }

    /// <summary>Reads one entity, or null if it does not exist.</summary>
    public async Task<TableEntity?> GetEntityIfExistsAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var (entity, _) = await GetEntityCoreAsync("TableClient.GetEntityIfExists", partitionKey, rowKey, select, throwIfMissing: false, cancellationToken).ConfigureAwait(false);
        return entity;
    }

    /// <summary>
    /// Queries entities. Pages (at most <paramref name="maxPerPage"/> entities each, up to 1,000) are
    /// fetched lazily by following the service's continuation tokens; enumerate to get every match.
    /// </summary>
    public AsyncPageable<TableEntity> QueryAsync(string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        if (maxPerPage is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPerPage), maxPerPage, "A page holds 1 to 1,000 entities.");
        }

        var selectList = select is null ? null : string.Join(',', select);
        return new StoragePageable<TableEntity>(
            (continuation, pageSizeHint, ct) => QueryPageAsync(filter, maxPerPage ?? pageSizeHint, selectList, continuation, ct),
            cancellationToken);
    }

    /// <summary>
    /// Commits up to 100 operations on one partition atomically. If the service refuses any operation,
    /// nothing is committed and <see cref="TableTransactionFailedException"/> names the failing index.
    /// </summary>
    public Task<Response<IReadOnlyList<TableTransactionResult>>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = actions.ToList();
        ValidateTransaction(list);
        var (body, contentType) = TableTransactionBody.Build(Uri, _escapedName, list);
        if (body.Length > TableLimits.MaxTransactionBytes)
        {
            throw new ArgumentException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The transaction payload is {body.Length:N0} bytes; transactions hold at most {TableLimits.MaxTransactionBytes:N0} bytes (4 MiB)."),
                nameof(actions));
        }

        return Run("TableClient.SubmitTransaction", async () =>
        {
            using var message = _context.CreateMessage(RequestMethod.Post, _context.ResourceUri("$batch"));
            message.Request.Headers.SetValue("Accept", "application/json");
            message.Request.Headers.SetValue("DataServiceVersion", "3.0;");
            message.Request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
            message.Request.Headers.SetValue("Content-Type", contentType);
            message.Request.Content = RequestContent.Create(body);
            var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<TableTransactionResult> results = ReadTransactionReply(response, list);
            return Response.FromValue(results, response);
        });
    }

    private static List<TableTransactionResult> ReadTransactionReply(Response response, List<TableTransactionAction> actions)
    {
        response.Headers.TryGetValue("Content-Type", out var contentType);
        var parts = TableTransactionBody.ParseResponse(contentType ?? string.Empty, response.Content.ToString());

        // The reply is 202 even when the changeset failed: the failure is one inner error part.
        foreach (var part in parts)
        {
            if (part.Status >= 400)
            {
                var (code, detail) = StorageErrorParser.ParseBody(BinaryData.FromString(part.Body));
                var index = FailedIndex(detail, part.Headers);
                var target = index is { } i && i >= 0 && i < actions.Count
                    ? $"operation {i} ({actions[i].ActionType} {TableLimits.Describe(actions[i].Entity)})"
                    : "an operation";
                var firstLine = detail?.Split('\n')[0];
                throw new TableTransactionFailedException(
                    part.Status,
                    $"The transaction was rejected at {target}: {part.Status} {code} {firstLine}".TrimEnd(),
                    code,
                    index is { } j && j >= 0 && j < actions.Count ? j : null);
            }
        }

        if (parts.Count != actions.Count)
        {
            throw new RequestFailedException(response.Status, $"The transaction reply holds {parts.Count} results for {actions.Count} operations.", "InvalidTransactionReply", null);
        }

        return parts.Select(p => new TableTransactionResult(p.Status, p.Headers.TryGetValue("ETag", out var etag) ? new ETag(etag) : default)).ToList();
    }

    // The service prefixes the message with the zero-based failing index ("1:The specified entity…").
    private static int? FailedIndex(string? detail, IReadOnlyDictionary<string, string> headers)
    {
        if (detail is not null)
        {
            var colon = detail.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && int.TryParse(detail.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                return index;
            }
        }

        return headers.TryGetValue("Content-ID", out var contentId)
            && int.TryParse(contentId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id - 1
            : null;
    }

    private static void ValidateTransaction(List<TableTransactionAction> actions)
    {
        if (actions.Count is 0 or > TableLimits.MaxTransactionActions)
        {
            throw new ArgumentException($"A transaction holds 1 to {TableLimits.MaxTransactionActions} operations; this one has {actions.Count}.", nameof(actions));
        }

        var partitionKey = actions[0].Entity?.PartitionKey;
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i] ?? throw new ArgumentException($"Operation {i} is null.", nameof(actions));
            var entity = action.Entity ?? throw new ArgumentException($"Operation {i} has no entity.", nameof(actions));
            if (action.ActionType == TableTransactionActionType.Delete)
            {
                TableLimits.ValidateKey(entity.PartitionKey, "PartitionKey");
                TableLimits.ValidateKey(entity.RowKey, "RowKey");
            }
            else
            {
                TableLimits.ValidateEntity(entity);
            }

            if (!string.Equals(entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Operation {i} is on partition '{entity.PartitionKey}', but a transaction covers one partition ('{partitionKey}').", nameof(actions));
            }

            if (!rowKeys.Add(entity.RowKey))
            {
                throw new ArgumentException($"Operation {i} repeats RowKey '{entity.RowKey}'; a transaction touches each entity once.", nameof(actions));
            }
        }
    }

    private Task<Response> WriteEntityAsync(string operation, TableEntity entity, TableUpdateMode mode, ETag? ifMatch, CancellationToken cancellationToken)
    {
        TableLimits.ValidateEntity(entity);
        return Run(operation, async () =>
        {
            var method = mode == TableUpdateMode.Replace ? RequestMethod.Put : new RequestMethod("MERGE");
            using var message = _context.CreateMessage(method, EntityUri(entity.PartitionKey, entity.RowKey));
            SetJsonHeaders(message.Request);
            if (ifMatch is { } etag)
            {
                message.Request.Headers.SetValue("If-Match", etag.ToString("H"));
            }

            message.Request.Content = RequestContent.Create(TableEdm.Serialize(entity));
            var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
            CaptureETag(entity, response);
            return response;
        });
    }

    private async Task<(TableEntity? Entity, Response Response)> GetEntityCoreAsync(
        string operation, string partitionKey, string rowKey, IEnumerable<string>? select, bool throwIfMissing, CancellationToken cancellationToken)
    {
        TableLimits.ValidateKey(partitionKey, "PartitionKey");
        TableLimits.ValidateKey(rowKey, "RowKey");
        return await Run(operation, async () =>
        {
            var uri = EntityUri(partitionKey, rowKey);
            if (select is not null)
            {
                uri = new Uri(uri.AbsoluteUri + "?$select=" + Uri.EscapeDataString(string.Join(',', select)));
            }

            using var message = _context.CreateMessage(RequestMethod.Get, uri);
            SetJsonHeaders(message.Request);
            var response = throwIfMissing
                ? await _context.SendAsync(message, cancellationToken).ConfigureAwait(false)
                : await _context.SendAsync(message, cancellationToken, 404).ConfigureAwait(false);
            if (response.Status == 404)
            {
                return ((TableEntity?)null, response);
            }

            using var document = JsonDocument.Parse(response.Content.ToMemory());
            var entity = TableEdm.Read(document.RootElement);
            if (response.Headers.ETag is { } etag)
            {
                entity.ETag = etag;
            }

            return (entity, response);
        }).ConfigureAwait(false);
    }

    private async Task<Page<TableEntity>> QueryPageAsync(string? filter, int? top, string? select, string? continuation, CancellationToken cancellationToken)
    {
        using var activity = StorageDiagnostics.StartOperation("TableClient.Query", AccountName, Name);
        var query = new StringBuilder();
        Append(query, "$filter", filter);
        Append(query, "$select", select);
        Append(query, "$top", top?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (continuation is not null)
        {
            var (nextPartition, nextRow) = DecodeContinuation(continuation);
            Append(query, "NextPartitionKey", nextPartition);
            Append(query, "NextRowKey", nextRow);
        }

        var uri = new Uri(_context.ResourceUri(_escapedName + "()").AbsoluteUri + query);
        using var message = _context.CreateMessage(RequestMethod.Get, uri);
        SetJsonHeaders(message.Request);
        try
        {
            var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(response.Content.ToMemory());
            var values = new List<TableEntity>();
            if (document.RootElement.TryGetProperty("value", out var array))
            {
                foreach (var element in array.EnumerateArray())
                {
                    values.Add(TableEdm.Read(element));
                }
            }

            response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var np);
            response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nr);

            // A page may be empty yet carry a continuation: the caller keeps following it.
            var next = np is null ? null : EncodeContinuation(np, nr);
            return Page<TableEntity>.FromValues(values, next, response);
        }
        catch (Exception e)
        {
            StorageDiagnostics.Fail(activity, e);
            throw;
        }
    }

    private static void Append(StringBuilder query, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }

    // Opaque to callers: base64(NextPartitionKey) '.' base64(NextRowKey), the row key being optional.
    private static string EncodeContinuation(string nextPartitionKey, string? nextRowKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(nextPartitionKey)) + "." + (nextRowKey is null ? string.Empty : Convert.ToBase64String(Encoding.UTF8.GetBytes(nextRowKey)));

    private static (string NextPartitionKey, string? NextRowKey) DecodeContinuation(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        try
        {
            if (dot > 0)
            {
                var partition = Encoding.UTF8.GetString(Convert.FromBase64String(token[..dot]));
                var row = dot == token.Length - 1 ? null : Encoding.UTF8.GetString(Convert.FromBase64String(token[(dot + 1)..]));
                return (partition, row);
            }
        }
        catch (FormatException)
        {
        }

        throw new ArgumentException("The continuation token was not produced by this client.", nameof(token));
    }

    private Uri EntityUri(string partitionKey, string rowKey) =>
        _context.ResourceUri(TableOData.EntityPath(_escapedName, partitionKey, rowKey));

    private static void SetJsonHeaders(Request request)
    {
        request.Headers.SetValue("Accept", JsonAccept);
        request.Headers.SetValue("Content-Type", "application/json");
        request.Headers.SetValue("DataServiceVersion", "3.0;");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
    }

    private static void CaptureETag(TableEntity entity, Response response)
    {
        if (response.Headers.ETag is { } etag)
        {
            entity.ETag = etag;
        }
    }

    private async Task<T> Run<T>(string operation, Func<Task<T>> body)
    {
        using var activity = StorageDiagnostics.StartOperation(operation, AccountName, Name);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            StorageDiagnostics.Fail(activity, e);
            throw;
        }
    }
}
