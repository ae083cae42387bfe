using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Rtgf.StripeStandIn;

/// <summary>
/// The request handling behind <see cref="StripeStandInServer"/>: <c>/v1/…</c> as Stripe (Request-Id, auth, faults,
/// idempotency keys, then the operation, then any hold), and the scenario admin API under <c>/_standin/…</c>.
/// </summary>
internal sealed class StripeApi(StripeStandInOptions options, StripeWorld world, FaultBoard faults, HoldBoard holds, RequestLog requests, Func<IReadOnlyList<WebhookDelivery>> deliveries, CancellationToken stopping)
{
    private readonly IdempotencyStore _idempotency = new();

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // A stand-in bug still answers in Stripe's shape, so the client under test reports it as Stripe would.
            await WriteErrorAsync(context, new StripeApiException(500, "api_error", null, "The Stripe stand-in failed: " + e.Message)).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/_standin/", StringComparison.Ordinal))
        {
            await AdminApi.HandleAsync(context, path, new AdminState(world, faults, holds, requests, options, deliveries, stopping)).ConfigureAwait(false);
            return;
        }

        var requestId = world.NextId("req");
        context.Response.Headers["Request-Id"] = requestId;
        context.Response.Headers["Stripe-Version"] = options.ApiVersion;
        try
        {
            await HandleApiAsync(context, path, requestId).ConfigureAwait(false);
        }
        catch (StripeApiException e)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        finally
        {
            requests.Add(new StandInRequest(requestId, context.Request.Method, path, context.Response.StatusCode));
        }
    }

    private async Task HandleApiAsync(HttpContext context, string path, string requestId)
    {
        var request = context.Request;
        Authenticate(request);
        if (faults.Take(path) is { } fault)
        {
            await ApplyFaultAsync(context, fault).ConfigureAwait(false);
            return;
        }

        var parameters = await ReadParametersAsync(request).ConfigureAwait(false);
        var segments = path.Trim('/').Split('/');
        var isPost = HttpMethods.IsPost(request.Method);
        if (!isPost && !HttpMethods.IsGet(request.Method))
        {
            throw Unrecognized(request);
        }

        var idempotencyKey = isPost ? request.Headers["Idempotency-Key"].ToString() : "";
        var info = new RequestInfo(requestId, idempotencyKey.Length > 0 ? idempotencyKey : null);
        if (info.IdempotencyKey is null)
        {
            await AnswerAsync(context, path, 200, Route(request, segments, parameters, info).ToJsonString()).ConfigureAwait(false);
            return;
        }

        var outcome = _idempotency.Begin(info.IdempotencyKey, request.Method + " " + path + "?" + parameters.Fingerprint());
        switch (outcome.Kind)
        {
            case IdempotencyStore.OutcomeKind.Replay:
                context.Response.Headers["Idempotent-Replayed"] = "true";
                context.Response.Headers["Original-Request"] = outcome.OriginalRequest;
                await WriteJsonAsync(context, outcome.Status!.Value, outcome.Body!).ConfigureAwait(false);
                return;
            case IdempotencyStore.OutcomeKind.Mismatch:
                throw new StripeApiException(400, "idempotency_error", null,
                    $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{info.IdempotencyKey}' if you meant to execute a different request.");
            case IdempotencyStore.OutcomeKind.InFlight:
                throw new StripeApiException(409, "idempotency_error", null,
                    "There is currently another in-progress request using this Stripe API key (or one of your restricted API keys) with the same idempotency key. Please try again later.");
        }

        var status = 500;
        var body = "";
        try
        {
            body = Route(request, segments, parameters, info).ToJsonString();
            status = 200;
        }
        finally
        {
            _idempotency.Complete(info.IdempotencyKey, status, body, requestId);
        }

        context.Response.Headers["Idempotency-Key"] = info.IdempotencyKey;
        await AnswerAsync(context, path, status, body).ConfigureAwait(false);
    }

    /// <summary>Writes a computed answer; a hold on the path keeps it until released (the state it carries is from before).</summary>
    private async Task AnswerAsync(HttpContext context, string path, int status, string body)
    {
        if (holds.Take(path) is { } hold)
        {
            hold.Reached.TrySetResult(context.Request.Method + " " + path);
            using var abandon = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                await hold.Released.Task.WaitAsync(abandon.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                context.Abort(); // the client gave up, or the stand-in is stopping
                return;
            }
        }

        await WriteJsonAsync(context, status, body).ConfigureAwait(false);
    }

    private JsonObject Route(HttpRequest request, string[] segments, StripeParameters parameters, RequestInfo info)
    {
        var post = HttpMethods.IsPost(request.Method);
        var expand = parameters.List("expand");
        return segments switch
        {
            ["v1", "customers"] when post => world.CreateCustomer(parameters, info),
            ["v1", "customers"] => world.ListCustomers(parameters),
            ["v1", "customers", "search"] when !post => world.SearchCustomers(parameters),
            ["v1", "customers", var id] when !post => world.Retrieve("customer", "cus_", id, expand),
            ["v1", "checkout", "sessions"] when post => world.CreateCheckoutSession(parameters, info),
            ["v1", "checkout", "sessions"] => world.ListCheckoutSessions(parameters),
            ["v1", "checkout", "sessions", var id] when !post => world.Retrieve("checkout.session", "cs_", id, expand),
            ["v1", "checkout", "sessions", var id, "expire"] when post => world.ExpireCheckoutSession(id, info),
            ["v1", "subscriptions", var id] when !post => world.Retrieve("subscription", "sub_", id, expand),
            ["v1", "invoices"] when !post => world.ListInvoices(parameters),
            ["v1", "invoices", var id] when !post => world.Retrieve("invoice", "in_", id, expand),
            ["v1", "refunds"] when !post => world.ListRefunds(parameters),
            ["v1", "events"] when !post => world.ListEvents(parameters),
            ["v1", "refunds", var id] when !post => world.Retrieve("refund", "re_", id, expand),
            _ => throw Unrecognized(request),
        };
    }

    private static StripeApiException Unrecognized(HttpRequest request) =>
        new(404, "invalid_request_error", null, $"Unrecognized request URL ({request.Method}: {request.Path}). The Stripe stand-in serves only the endpoints RTGF uses (docs/spec/stripe-stand-in.md).");

    private void Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        string? key = null;
        if (AuthenticationHeaderValue.TryParse(header, out var auth) && auth.Parameter is { Length: > 0 } parameter)
        {
            if (string.Equals(auth.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
            {
                key = parameter;
            }
            else if (string.Equals(auth.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    key = Encoding.UTF8.GetString(Convert.FromBase64String(parameter)).Split(':')[0];
                }
                catch (FormatException)
                {
                    key = null;
                }
            }
        }

        if (key is null)
        {
            throw new StripeApiException(401, "invalid_request_error", null,
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }

        if (!string.Equals(key, options.SecretKey, StringComparison.Ordinal))
        {
            var shown = key.Length > 4 ? key[..Math.Min(8, key.Length - 4)] + "********" + key[^4..] : "****";
            throw new StripeApiException(401, "invalid_request_error", null, $"Invalid API Key provided: {shown}");
        }
    }

    private async Task ApplyFaultAsync(HttpContext context, StripeFault fault)
    {
        switch (fault.Mode)
        {
            case StripeFaultMode.RateLimit:
                context.Response.Headers["Stripe-Should-Retry"] = "true";
                throw new StripeApiException(429, "invalid_request_error", "rate_limit", "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.");
            case StripeFaultMode.ServerError:
                throw new StripeApiException(500, "api_error", null, "An unknown error occurred (scripted by the stand-in).");
            case StripeFaultMode.CardDeclined:
                throw new StripeApiException(402, "card_error", "card_declined", "Your card was declined.") { DeclineCode = "generic_decline" };
            case StripeFaultMode.InProgress:
                throw new StripeApiException(409, "idempotency_error", null,
                    "There is currently another in-progress request using this Stripe API key (or one of your restricted API keys) with the same idempotency key. Please try again later.");
            default:
                await HangAsync(context).ConfigureAwait(false);
                return;
        }
    }

    // Until the client gives up, or the stand-in stops (so stopping never waits out a hung request).
    private async Task HangAsync(HttpContext context)
    {
        using var hang = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, options.TimeProvider, hang.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
    }

    private static async Task<StripeParameters> ReadParametersAsync(HttpRequest request)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in request.Query)
        {
            pairs.AddRange(values.Select(v => new KeyValuePair<string, string>(key, v ?? "")));
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            foreach (var (key, values) in form)
            {
                pairs.AddRange(values.Select(v => new KeyValuePair<string, string>(key, v ?? "")));
            }
        }
        else if (request.ContentLength is > 0)
        {
            throw new StripeApiException(400, "invalid_request_error", null, "Stripe requests are form encoded (application/x-www-form-urlencoded).");
        }

        return new StripeParameters(pairs);
    }

    internal static Task WriteErrorAsync(HttpContext context, StripeApiException e)
    {
        var error = new JsonObject { ["type"] = e.Type, ["message"] = e.Message };
        if (e.Code is not null)
        {
            error["code"] = e.Code;
            error["doc_url"] = "https://stripe.com/docs/error-codes/" + e.Code.Replace('_', '-');
        }

        if (e.Param is not null)
        {
            error["param"] = e.Param;
        }

        if (e.DeclineCode is not null)
        {
            error["decline_code"] = e.DeclineCode;
        }

        return WriteJsonAsync(context, e.Status, new JsonObject { ["error"] = error }.ToJsonString());
    }

    internal static async Task WriteJsonAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }
}
