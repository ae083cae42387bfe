using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Rtgf.StripeStandIn;

/// <summary>
/// The scenario admin API under <c>/_standin/…</c> (not Stripe's; no auth, loopback only): what a customer or time does
/// to the account (pay, fail, recover, change price, cancel, renew, refund), scripted faults, and the events with a fresh
/// signature for delivery by the test itself, holds on API requests, and the log of API requests. Bodies are JSON;
/// errors use Stripe's error shape.
/// </summary>
internal static class AdminApi
{
    public static async Task HandleAsync(HttpContext context, string path, AdminState state)
    {
        var (world, faults, holds, requests, options, deliveries, stopping) = state;
        try
        {
            var body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
            var post = HttpMethods.IsPost(context.Request.Method);
            var get = HttpMethods.IsGet(context.Request.Method);
            var segments = path.Trim('/').Split('/')[1..];
            if (segments is ["holds", var heldId, "reached"] && post)
            {
                await StripeApi.WriteJsonAsync(context, 200, (await ReachedAsync(holds, heldId, context.RequestAborted, stopping).ConfigureAwait(false)).ToJsonString()).ConfigureAwait(false);
                return;
            }

            JsonNode result = segments switch
            {
                ["checkout", "sessions", var id, "complete"] when post => world.CompleteCheckoutSession(id, Optional(body, "email"), Optional(body, "payment") == "pending"),
                ["subscriptions", var id, "fail-payment"] when post => world.FailNextPayment(id),
                ["subscriptions", var id, "recover"] when post => world.Recover(id),
                ["subscriptions", var id, "retry-fails"] when post => world.RetryFails(id),
                ["subscriptions", var id, "change-price"] when post => world.ChangePrice(id, Required(body, "price")),
                ["subscriptions", var id, "cancel"] when post => world.Cancel(id),
                ["subscriptions", var id, "advance"] when post => world.AdvancePeriod(id),
                ["invoices", var id, "refund"] when post => world.Refund(id, (long?)body?["amount"]),
                ["faults"] when post => AddFault(faults, body),
                ["faults"] when HttpMethods.IsDelete(context.Request.Method) => ClearFaults(faults),
                ["faults"] when get => Faults(faults),
                ["events"] when get => Events(world, context.Request.Query["after"].ToString()),
                ["deliveries"] when get => Deliveries(deliveries()),
                ["events", var id, "delivery"] when get => Delivery(world, options, id, context.Request.Query["at"].ToString()),
                ["checkout", var id] when get => CheckoutPage(world, id),
                ["holds"] when post => View(holds.Add(Required(body, "path"), Count(body, "skip"))),
                ["holds"] when get => new JsonObject { ["data"] = new JsonArray([.. holds.Snapshot().Select(View)]) },
                ["holds"] when HttpMethods.IsDelete(context.Request.Method) => ReleaseAll(holds),
                ["holds", var id, "release"] when post => Release(Hold(holds, id)),
                ["requests"] when get => new JsonObject
                {
                    ["data"] = new JsonArray([.. requests.Snapshot().Select(r => new JsonObject { ["id"] = r.Id, ["method"] = r.Method, ["path"] = r.Path, ["status"] = r.Status })]),
                },
                _ => throw new StripeApiException(404, "invalid_request_error", null, $"Unrecognized stand-in admin request ({context.Request.Method}: {path})."),
            };
            await StripeApi.WriteJsonAsync(context, 200, result.ToJsonString()).ConfigureAwait(false);
        }
        catch (StripeApiException e)
        {
            await StripeApi.WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A field of the wrong JSON type ("amount": "ten"): the caller's mistake, not the stand-in's.
            await StripeApi.WriteErrorAsync(context, new StripeApiException(400, "invalid_request_error", "parameter_invalid_string", "A field of the admin request has the wrong type: " + e.Message)).ConfigureAwait(false);
        }
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0)
        {
            return null;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<JsonObject>(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new StripeApiException(400, "invalid_request_error", null, "The admin request body is not a JSON object: " + e.Message);
        }
    }

    private static string Required(JsonObject? body, string name) =>
        body?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : throw StripeApiException.MissingParameter(name);

    private static string? Optional(JsonObject? body, string name) =>
        body?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static JsonObject AddFault(FaultBoard faults, JsonObject? body)
    {
        var mode = Required(body, "mode") switch
        {
            "rate_limit" => StripeFaultMode.RateLimit,
            "server_error" => StripeFaultMode.ServerError,
            "card_declined" => StripeFaultMode.CardDeclined,
            "hang" => StripeFaultMode.Hang,
            "in_progress" => StripeFaultMode.InProgress,
            var other => throw StripeApiException.Invalid("mode", $"Unknown fault mode '{other}': rate_limit, server_error, card_declined, hang or in_progress."),
        };
        var count = body?["count"] is null ? 1 : (int?)body["count"];
        faults.Add(new StripeFault(body?["path"]?.GetValue<string>() ?? "/v1/", mode, count is 0 ? null : count));
        return Faults(faults);
    }

    private static JsonObject ClearFaults(FaultBoard faults)
    {
        faults.Clear();
        return Faults(faults);
    }

    private static JsonObject Faults(FaultBoard faults) => new()
    {
        ["data"] = new JsonArray([.. faults.Snapshot().Select(f => new JsonObject { ["path"] = f.PathPrefix, ["mode"] = ModeName(f.Mode), ["count"] = f.Count })]),
    };

    private static string ModeName(StripeFaultMode mode) => mode switch
    {
        StripeFaultMode.RateLimit => "rate_limit",
        StripeFaultMode.ServerError => "server_error",
        StripeFaultMode.CardDeclined => "card_declined",
        StripeFaultMode.InProgress => "in_progress",
        _ => "hang",
    };

    private static JsonObject Events(StripeWorld world, string after) => new()
    {
        ["data"] = new JsonArray([.. world.Events(after.Length == 0 ? null : after).Select(e => JsonNode.Parse(e.Body))]),
    };

    private static JsonObject Deliveries(IReadOnlyList<WebhookDelivery> deliveries) => new()
    {
        ["data"] = new JsonArray([.. deliveries.Select(d => new JsonObject { ["event"] = d.EventId, ["attempt"] = d.Attempt, ["status"] = d.Status, ["delivered"] = d.Delivered })]),
    };

    /// <summary>The event's exact body and a <c>Stripe-Signature</c> made now (or at <c>?at=</c> unix seconds, for stale ones).</summary>
    private static JsonObject Delivery(StripeWorld world, StripeStandInOptions options, string id, string at)
    {
        var stored = world.Event(id);
        long timestamp;
        if (at.Length == 0)
        {
            timestamp = options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        }
        else if (!long.TryParse(at, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out timestamp))
        {
            throw StripeApiException.Invalid("at", "at is unix seconds.", "parameter_invalid_integer");
        }

        return new JsonObject
        {
            ["id"] = stored.Id,
            ["type"] = stored.Type,
            ["body"] = stored.Body,
            ["signature"] = WebhookSignature.Sign(stored.Body, options.WebhookSecret, timestamp),
        };
    }

    private static int Count(JsonObject? body, string name) =>
        body?[name] is null ? 0 : (int?)body[name] is int n and >= 0 ? n : throw StripeApiException.Invalid(name, $"{name} is a whole number, 0 or more.", "parameter_invalid_integer");

    private static StripeHold Hold(HoldBoard holds, string id) =>
        holds.Find(id) ?? throw StripeApiException.Missing("hold", id);

    private static JsonObject View(StripeHold hold) => new()
    {
        ["id"] = hold.Id,
        ["path"] = hold.PathPrefix,
        ["skip"] = hold.Skip,
        ["reached"] = hold.Reached.Task.IsCompleted ? hold.Reached.Task.Result : null,
        ["released"] = hold.Released.Task.IsCompleted,
    };

    /// <summary>Answers once the hold has caught a request (a long poll: no polling loop in the test).</summary>
    private static async Task<JsonObject> ReachedAsync(HoldBoard holds, string id, CancellationToken aborted, CancellationToken stopping)
    {
        var hold = Hold(holds, id);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);
        await hold.Reached.Task.WaitAsync(wait.Token).ConfigureAwait(false);
        return View(hold);
    }

    private static JsonObject Release(StripeHold hold)
    {
        hold.Released.TrySetResult();
        return View(hold);
    }

    private static JsonObject ReleaseAll(HoldBoard holds)
    {
        holds.ReleaseAll();
        return new JsonObject { ["data"] = new JsonArray() };
    }

    private static JsonObject CheckoutPage(StripeWorld world, string id)
    {
        var session = world.Retrieve("checkout.session", "cs_", id, []);
        return new JsonObject
        {
            ["session"] = session,
            ["complete"] = $"POST /_standin/checkout/sessions/{id}/complete",
        };
    }
}

/// <summary>What the admin API works on.</summary>
internal sealed record AdminState(
    StripeWorld World,
    FaultBoard Faults,
    HoldBoard Holds,
    RequestLog Requests,
    StripeStandInOptions Options,
    Func<IReadOnlyList<WebhookDelivery>> Deliveries,
    CancellationToken Stopping);
