using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rtgf.UpstreamSimulator.QuickBooks;

/// <summary>
/// QuickBooks Online as the reconcile uses it (docs/research/quickbooks.md): Intuit's OAuth 2 token endpoint
/// (<c>/oauth2/v1/tokens/bearer</c>, refresh_token grant, HTTP Basic client credentials), and the Accounting API's
/// <c>/v3/company/{realmId}/query</c>, <c>salesreceipt</c> and <c>refundreceipt</c> (create with <c>requestid</c>,
/// read by id) with the <c>Fault</c> envelope, the 401 <c>fault</c> body and an <c>intuit_tid</c> header on every answer.
/// Scenario hooks live under <c>/_sim/quickbooks</c>. The fault board applies to every path here.
/// </summary>
internal static partial class QuickBooksEndpoints
{
    public const string TokenPath = "/oauth2/v1/tokens/bearer";

    public static void Map(WebApplication app, QuickBooksCompany company)
    {
        app.MapPost(TokenPath, (HttpContext context) => TokenAsync(context, company));
        app.MapMethods("/v3/company/{realmId}/query", ["GET", "POST"], (HttpContext context, string realmId) => QueryAsync(context, company, realmId));
        app.MapPost("/v3/company/{realmId}/{entity}", (HttpContext context, string realmId, string entity) => CreateAsync(context, company, realmId, entity));
        app.MapGet("/v3/company/{realmId}/{entity}/{id}", (HttpContext context, string realmId, string entity, string id) => ReadAsync(context, company, realmId, entity, id));

        app.MapPost("/_sim/quickbooks/connect", () => Results.Json(new JsonObject { ["refresh_token"] = company.Connect(), ["realmId"] = company.RealmId }));
        app.MapPost("/_sim/quickbooks/expire-access-tokens", () => Results.Json(new JsonObject { ["expired"] = company.ExpireAccessTokens() }));
        app.MapPost("/_sim/quickbooks/refuse/{docNumber}", (string docNumber) =>
        {
            company.Refuse(docNumber);
            return Results.Json(new JsonObject { ["refused"] = docNumber });
        });
        app.MapPost("/_sim/quickbooks/revoke-refresh-tokens", () => Results.Json(new JsonObject { ["revoked"] = company.RevokeRefreshTokens() }));
        app.MapGet("/_sim/quickbooks/calls", () => Results.Json(new JsonObject(company.Calls().Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value)))));
        app.MapGet("/_sim/quickbooks/documents/{entity}", (string entity) => Kind(entity) is { } kind
            ? Results.Json(new JsonObject { [kind] = new JsonArray([.. company.Documents(kind)]) })
            : Results.Json(new JsonObject { ["error"] = $"Unknown entity '{entity}': use salesreceipt or refundreceipt." }, statusCode: 404));
    }

    private static string? Kind(string entity) => entity.ToLowerInvariant() switch
    {
        "salesreceipt" => "SalesReceipt",
        "refundreceipt" => "RefundReceipt",
        _ => null,
    };

    private static async Task TokenAsync(HttpContext context, QuickBooksCompany company)
    {
        company.Count("POST token");
        Tid(context, company);
        var request = context.Request;
        if (!ClientAuthenticated(request, company))
        {
            await OAuthErrorAsync(context, 401, "invalid_client").ConfigureAwait(false);
            return;
        }

        if (!request.HasFormContentType)
        {
            await OAuthErrorAsync(context, 400, "invalid_request").ConfigureAwait(false);
            return;
        }

        var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        if (form["grant_type"].ToString() != "refresh_token")
        {
            await OAuthErrorAsync(context, 400, "unsupported_grant_type").ConfigureAwait(false);
            return;
        }

        if (form["refresh_token"].ToString() is not { Length: > 0 } refreshToken || company.Refresh(refreshToken) is not { } tokens)
        {
            await OAuthErrorAsync(context, 400, "invalid_grant").ConfigureAwait(false);
            return;
        }

        context.Response.Headers.CacheControl = "no-cache, no-store";
        await WriteAsync(context, 200, new JsonObject
        {
            ["x_refresh_token_expires_in"] = QuickBooksCompany.RefreshTokenSeconds,
            ["refresh_token"] = tokens.RefreshToken,
            ["access_token"] = tokens.AccessToken,
            ["token_type"] = "bearer",
            ["expires_in"] = QuickBooksCompany.AccessTokenSeconds,
        }.ToJsonString()).ConfigureAwait(false);
    }

    private static bool ClientAuthenticated(HttpRequest request, QuickBooksCompany company)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }

        try
        {
            var expected = Encoding.UTF8.GetBytes(company.ClientId + ":" + company.ClientSecret);
            return CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(header.Parameter), expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static async Task QueryAsync(HttpContext context, QuickBooksCompany company, string realmId)
    {
        company.Count(context.Request.Method + " query");
        if (!await AuthorizedAsync(context, company, realmId).ConfigureAwait(false) || !await MinorVersionAsync(context, company).ConfigureAwait(false))
        {
            return;
        }

        string text;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            using var reader = new StreamReader(context.Request.Body);
            text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            text = context.Request.Query["query"].ToString();
        }

        var match = QueryPattern().Match(text.Trim());
        if (!match.Success)
        {
            await FaultAsync(context, company, 400, "ValidationFault", "4000", "Error parsing query", $"QueryParserError: Encountered an unsupported or malformed query: {text}").ConfigureAwait(false);
            return;
        }

        var kind = Kind(match.Groups["entity"].Value)!;
        var conditions = new List<(string Field, string Op, string Value)>();
        if (match.Groups["where"].Success)
        {
            foreach (var part in AndPattern().Split(match.Groups["where"].Value))
            {
                var condition = ConditionPattern().Match(part.Trim());
                if (!condition.Success || condition.Groups["field"].Value is not ("Id" or "DocNumber" or "TxnDate" or "MetaData.CreateTime"))
                {
                    await FaultAsync(context, company, 400, "ValidationFault", "4001", "Invalid query", $"QueryValidationError: property '{part.Trim()}' is not queryable").ConfigureAwait(false);
                    return;
                }

                conditions.Add((condition.Groups["field"].Value, condition.Groups["op"].Value, condition.Groups["value"].Value.Replace("\\'", "'", StringComparison.Ordinal)));
            }
        }

        var documents = company.Documents(kind).Where(d => conditions.All(c => Holds(d, c))).ToList();
        var response = new JsonObject();
        if (match.Groups["count"].Success)
        {
            response["totalCount"] = documents.Count;
        }
        else
        {
            var start = match.Groups["start"].Success ? int.Parse(match.Groups["start"].Value, CultureInfo.InvariantCulture) : 1;
            var max = match.Groups["max"].Success ? int.Parse(match.Groups["max"].Value, CultureInfo.InvariantCulture) : 100;
            if (start < 1 || max < 1 || max > QuickBooksCompany.MaxResults)
            {
                await FaultAsync(context, company, 400, "ValidationFault", "4001", "Invalid query", $"QueryValidationError: STARTPOSITION must be 1 or more and MAXRESULTS 1 to {QuickBooksCompany.MaxResults}").ConfigureAwait(false);
                return;
            }

            var page = documents.Skip(start - 1).Take(max).ToList();
            if (page.Count > 0)
            {
                response[kind] = new JsonArray([.. page]);
                response["startPosition"] = start;
                response["maxResults"] = page.Count;
            }
        }

        await WriteAsync(context, 200, new JsonObject { ["QueryResponse"] = response, ["time"] = QuickBooksCompany.Format(company.Time.GetUtcNow()) }.ToJsonString()).ConfigureAwait(false);
    }

    private static bool Holds(JsonObject document, (string Field, string Op, string Value) condition)
    {
        var actual = condition.Field == "MetaData.CreateTime" ? (string?)document["MetaData"]?["CreateTime"] : (string?)document[condition.Field];
        if (actual is null)
        {
            return false;
        }

        var order = condition.Field == "Id"
            ? long.Parse(actual, CultureInfo.InvariantCulture).CompareTo(long.TryParse(condition.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)
            : string.CompareOrdinal(actual, condition.Value);
        return condition.Op switch
        {
            "=" => order == 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    private static async Task CreateAsync(HttpContext context, QuickBooksCompany company, string realmId, string entity)
    {
        company.Count("POST " + entity.ToLowerInvariant());
        if (Kind(entity) is not { } kind)
        {
            Tid(context, company);
            await WriteAsync(context, 404, "Not Found", "text/plain").ConfigureAwait(false);
            return;
        }

        if (!await AuthorizedAsync(context, company, realmId).ConfigureAwait(false) || !await MinorVersionAsync(context, company).ConfigureAwait(false))
        {
            return;
        }

        var requestId = context.Request.Query["requestid"].ToString();
        if (requestId.Length > QuickBooksCompany.RequestIdMaxLength)
        {
            await FaultAsync(context, company, 400, "ValidationFault", "2050", "String length is either shorter or longer than supported by specification", $"requestid is longer than {QuickBooksCompany.RequestIdMaxLength} characters").ConfigureAwait(false);
            return;
        }

        if (requestId.Length > 0 && company.Answer(requestId) is { } earlier)
        {
            await WriteAsync(context, earlier.Status, earlier.Body).ConfigureAwait(false);
            return;
        }

        JsonObject? document;
        try
        {
            document = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            document = null;
        }

        if (document is null)
        {
            await FaultAsync(context, company, 400, "ValidationFault", "2010", "Request has invalid or unsupported property", "The request body is not a JSON object.").ConfigureAwait(false);
            return;
        }

        if (Invalid(kind, document, company) is { } problem)
        {
            await FaultAsync(context, company, 400, "ValidationFault", problem.Code, problem.Message, problem.Detail, problem.Element).ConfigureAwait(false);
            return;
        }

        if (company.Refused((string?)document["DocNumber"]))
        {
            await FaultAsync(context, company, 400, "ValidationFault", "6000", "A business validation error has occurred while processing your request", "Business Validation Error: You can't create or modify transactions in a closed period.").ConfigureAwait(false);
            return;
        }

        var time = QuickBooksCompany.Format(company.Time.GetUtcNow());
        var (status, body) = company.Create(kind, document, requestId.Length > 0 ? requestId : null, stored => new JsonObject { [kind] = stored.DeepClone(), ["time"] = time }.ToJsonString());
        await WriteAsync(context, status, body).ConfigureAwait(false);
    }

    /// <summary>What QuickBooks refuses in a receipt the reconcile sends: lines, item and account references, lengths, dates.</summary>
    private static (string Code, string Message, string Detail, string? Element)? Invalid(string kind, JsonObject document, QuickBooksCompany company)
    {
        const string Missing = "Required param missing, need to supply the required value for the API";
        const string Length = "String length is either shorter or longer than supported by specification";
        if (document["Line"] is not JsonArray { Count: > 0 } lines)
        {
            return ("2020", Missing, "Required parameter Line is missing in the request", "Line");
        }

        decimal total = 0;
        foreach (var line in lines)
        {
            if (line is not JsonObject { } l || l["Amount"] is not JsonValue amount || !amount.TryGetValue<decimal>(out var value))
            {
                return ("2020", Missing, "Required parameter Line.Amount is missing in the request", "Line.Amount");
            }

            if ((string?)l["DetailType"] != "SalesItemLineDetail" || l["SalesItemLineDetail"]?["ItemRef"]?["value"] is null)
            {
                return ("2020", Missing, "Required parameter Line.SalesItemLineDetail.ItemRef is missing in the request", "Line.SalesItemLineDetail.ItemRef");
            }

            total += value;
        }

        if (kind == "RefundReceipt" && document["DepositToAccountRef"]?["value"] is null)
        {
            return ("2020", Missing, "Required parameter DepositToAccountRef is missing in the request", "DepositToAccountRef");
        }

        if (((string?)document["DocNumber"])?.Length > QuickBooksCompany.DocNumberMaxLength)
        {
            return ("2050", Length, $"String length specified does not match the supported length. Min:0 Max:{QuickBooksCompany.DocNumberMaxLength} supplied:{((string?)document["DocNumber"])!.Length}", "DocNumber");
        }

        if (((string?)document["PrivateNote"])?.Length > QuickBooksCompany.PrivateNoteMaxLength)
        {
            return ("2050", Length, $"String length specified does not match the supported length. Min:0 Max:{QuickBooksCompany.PrivateNoteMaxLength} supplied:{((string?)document["PrivateNote"])!.Length}", "PrivateNote");
        }

        if (document["TxnDate"] is { } date)
        {
            if (!DateOnly.TryParseExact((string?)date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return ("2010", "Request has invalid or unsupported property", "TxnDate must be a date, yyyy-MM-dd", "TxnDate");
            }
        }
        else
        {
            document["TxnDate"] = company.Time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        document["TotalAmt"] = total;
        return null;
    }

    private static async Task ReadAsync(HttpContext context, QuickBooksCompany company, string realmId, string entity, string id)
    {
        company.Count("GET " + entity.ToLowerInvariant());
        if (Kind(entity) is not { } kind)
        {
            Tid(context, company);
            await WriteAsync(context, 404, "Not Found", "text/plain").ConfigureAwait(false);
            return;
        }

        if (!await AuthorizedAsync(context, company, realmId).ConfigureAwait(false) || !await MinorVersionAsync(context, company).ConfigureAwait(false))
        {
            return;
        }

        if (company.Find(kind, id) is not { } document)
        {
            await FaultAsync(context, company, 400, "ValidationFault", "610", "Object Not Found", $"Object Not Found : Something you're trying to use has been made inactive or is not found: {kind} {id}").ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, 200, new JsonObject { [kind] = document, ["time"] = QuickBooksCompany.Format(company.Time.GetUtcNow()) }.ToJsonString()).ConfigureAwait(false);
    }

    /// <summary>Bearer token check: missing, unknown or expired is a 401 in the API's lowercase <c>fault</c> shape; another realm is 403.</summary>
    private static async Task<bool> AuthorizedAsync(HttpContext context, QuickBooksCompany company, string realmId)
    {
        Tid(context, company);
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : string.Empty;
        if (!company.AccessTokenValid(token))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"Intuit\", error=\"invalid_token\"";
            await WriteAsync(context, 401, new JsonObject
            {
                ["fault"] = new JsonObject
                {
                    ["error"] = new JsonArray(new JsonObject
                    {
                        ["message"] = "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                        ["detail"] = token.Length == 0 ? "Authorization header missing" : "Token expired or invalid",
                        ["code"] = "3200",
                    }),
                    ["type"] = "AUTHENTICATION",
                },
                ["time"] = QuickBooksCompany.Format(company.Time.GetUtcNow()),
            }.ToJsonString()).ConfigureAwait(false);
            return false;
        }

        if (realmId != company.RealmId)
        {
            await FaultAsync(context, company, 403, "AuthorizationFault", "003100", "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403", $"The token is not authorized for company {realmId}").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private static async Task<bool> MinorVersionAsync(HttpContext context, QuickBooksCompany company)
    {
        var text = context.Request.Query["minorversion"].ToString();
        if (text.Length == 0 || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version is >= 1 and <= 75))
        {
            return true;
        }

        await FaultAsync(context, company, 400, "ValidationFault", "2010", "Request has invalid or unsupported property", $"minorversion {text} is not supported (1 to 75)").ConfigureAwait(false);
        return false;
    }

    private static Task FaultAsync(HttpContext context, QuickBooksCompany company, int status, string type, string code, string message, string detail, string? element = null)
    {
        var error = new JsonObject { ["Message"] = message, ["Detail"] = detail, ["code"] = code };
        if (element is not null)
        {
            error["element"] = element;
        }

        return WriteAsync(context, status, new JsonObject
        {
            ["Fault"] = new JsonObject { ["Error"] = new JsonArray(error), ["type"] = type },
            ["time"] = QuickBooksCompany.Format(company.Time.GetUtcNow()),
        }.ToJsonString());
    }

    private static Task OAuthErrorAsync(HttpContext context, int status, string error) =>
        WriteAsync(context, status, new JsonObject { ["error"] = error }.ToJsonString());

    private static void Tid(HttpContext context, QuickBooksCompany company) => context.Response.Headers["intuit_tid"] = company.NextTid();

    private static async Task WriteAsync(HttpContext context, int status, string body, string contentType = "application/json;charset=UTF-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^select\s+(?:\*|(?<count>count\(\*\)))\s+from\s+(?<entity>SalesReceipt|RefundReceipt)(?:\s+where\s+(?<where>.+?))?(?:\s+orderby\s+[A-Za-z.]+(?:\s+(?:asc|desc))?)?(?:\s+startposition\s+(?<start>\d{1,9}))?(?:\s+maxresults\s+(?<max>\d{1,9}))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryPattern();

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AndPattern();

    [GeneratedRegex(@"^(?<field>[A-Za-z.]+)\s*(?<op><=|>=|=|<|>)\s*'(?<value>(?:[^'\\]|\\')*)'$", RegexOptions.CultureInvariant)]
    private static partial Regex ConditionPattern();
}
