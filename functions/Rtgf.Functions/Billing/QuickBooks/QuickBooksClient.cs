using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Functions.Billing.QuickBooks;

/// <summary>
/// The QuickBooks Online Accounting API calls the reconcile makes (minor version 75): query, create a sales or refund
/// receipt with a <c>requestid</c> (QuickBooks answers a repeated requestid with the first answer, so these POSTs are
/// retry-safe and the outbound pipeline retries them on 429/5xx), read by id. A 401 refreshes the access token once and
/// sends again; a second 401 is <see cref="QuickBooksAuthorizationException"/>. Faults become <see cref="QuickBooksException"/>.
/// </summary>
public sealed class QuickBooksClient(HttpClient api, QuickBooksTokens tokens, string realmId)
{
    public const string MinorVersion = "75";
    public const int MaxResults = 1000;

    /// <summary>Every entity of a query (ordered by Id, paged by STARTPOSITION/MAXRESULTS; no ORDERBY of its own), e.g. <c>select * from SalesReceipt where TxnDate = '2026-12-01'</c>.</summary>
    public async Task<IReadOnlyList<JsonObject>> QueryAllAsync(string entity, string select, CancellationToken cancellationToken)
    {
        var all = new List<JsonObject>();
        for (var start = 1; ; start += MaxResults)
        {
            // A stable order, so pages neither skip nor repeat a document.
            var page = await QueryAsync(string.Create(CultureInfo.InvariantCulture, $"{select} orderby Id startposition {start} maxresults {MaxResults}"), cancellationToken).ConfigureAwait(false);
            var items = page[entity] as JsonArray ?? [];
            all.AddRange(items.OfType<JsonObject>());
            if (items.Count < MaxResults)
            {
                return all;
            }
        }
    }

    /// <summary>One query; the <c>QueryResponse</c> object (empty when nothing matched).</summary>
    public async Task<JsonObject> QueryAsync(string query, CancellationToken cancellationToken)
    {
        var body = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v3/company/{realmId}/query?query={Uri.EscapeDataString(query)}&minorversion={MinorVersion}"), "GET query", cancellationToken).ConfigureAwait(false);
        return body["QueryResponse"] as JsonObject ?? throw new QuickBooksException("QuickBooks answered a query without a QueryResponse.");
    }

    /// <summary>Creates a <c>SalesReceipt</c> or <c>RefundReceipt</c>; the same <paramref name="requestId"/> always gives the same document.</summary>
    public async Task<JsonObject> CreateAsync(string entity, JsonObject document, string requestId, CancellationToken cancellationToken)
    {
        var json = document.ToJsonString();
        var body = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, $"v3/company/{realmId}/{entity.ToLowerInvariant()}?requestid={Uri.EscapeDataString(requestId)}&minorversion={MinorVersion}")
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            },
            "POST " + entity.ToLowerInvariant(),
            cancellationToken).ConfigureAwait(false);
        return body[entity] as JsonObject ?? throw new QuickBooksException($"QuickBooks answered a {entity} create without the {entity}.");
    }

    /// <summary>One document by id; null when QuickBooks says Object Not Found (610).</summary>
    public async Task<JsonObject?> GetAsync(string entity, string id, CancellationToken cancellationToken)
    {
        try
        {
            var body = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v3/company/{realmId}/{entity.ToLowerInvariant()}/{Uri.EscapeDataString(id)}?minorversion={MinorVersion}"), "GET " + entity.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
            return body[entity] as JsonObject;
        }
        catch (QuickBooksException e) when (e.FaultCode == "610")
        {
            return null;
        }
    }

    private async Task<JsonObject> SendAsync(Func<HttpRequestMessage> create, string operation, CancellationToken cancellationToken)
    {
        var token = await tokens.AccessTokenAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            using var request = create();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            // Reads are retry-safe; creates carry a requestid, which QuickBooks deduplicates.
            request.WithOperation(operation, retrySafe: true);
            using var response = await SendOnceAsync(request, operation, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                if (attempt > 0)
                {
                    throw new QuickBooksAuthorizationException($"QuickBooks answered 401 to {operation} with a freshly refreshed access token (intuit_tid {Tid(response)}).", 401, "3200");
                }

                token = await tokens.RefreshAsync(token, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonObject? body;
            try
            {
                body = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                body = null;
            }

            // QuickBooks may put a Fault in a 200 answer too.
            if (!response.IsSuccessStatusCode || body is null || body["Fault"] is not null)
            {
                var error = body?["Fault"]?["Error"]?[0];
                var code = error?["code"]?.GetValue<string>();
                var detail = error is null ? "no Fault in the answer" : $"{body!["Fault"]!["type"]} {code}: {error["Message"]} ({error["Detail"]})";
                throw new QuickBooksException($"QuickBooks answered {(int)response.StatusCode} to {operation}: {detail} (intuit_tid {Tid(response)}).", (int)response.StatusCode, code, Tid(response));
            }

            return body;
        }
    }

    /// <summary>One send through the pipeline (its retries included); no answer at all is a <see cref="QuickBooksException"/> too.</summary>
    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await api.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new QuickBooksException($"QuickBooks did not answer {operation} ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    private static string Tid(HttpResponseMessage response) => response.Headers.TryGetValues("intuit_tid", out var values) ? values.FirstOrDefault() ?? "none" : "none";
}
