using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>
/// A small Stripe on 127.0.0.1 for the billing tests until the Stripe stand-in (wip/stripe, tools/Rtgf.StripeStandIn) is
/// merged: the four endpoints billing calls, in Stripe's JSON and error shapes, Idempotency-Key replay, scripted faults,
/// and a hold on the next subscription read (to interleave two appliers). State changes are made here, as Stripe's own
/// dashboard would; <see cref="Event"/> writes the event JSON Stripe would send.
/// </summary>
public sealed class InterimStripe : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Status, string Body)> _idempotent = new(StringComparer.Ordinal);
    private readonly Queue<int> _faults = new();
    private readonly WebApplication _app;
    private TaskCompletionSource? _holdReached;
    private TaskCompletionSource? _holdRelease;
    private int _next;

    private InterimStripe(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests answered (faults included), by "METHOD path".</summary>
    public List<string> Requests { get; } = [];

    public int CustomerCount
    {
        get
        {
            lock (_lock)
            {
                return _customers.Count;
            }
        }
    }

    public static async Task<InterimStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stripe = new InterimStripe(app);
        app.Run(stripe.AnswerAsync);
        await app.StartAsync();
        stripe.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return stripe;
    }

    /// <summary>The next <paramref name="count"/> requests are answered with <paramref name="status"/> (Stripe's error shape).</summary>
    public void Fail(int status, int count = 1)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(status);
            }
        }
    }

    /// <summary>The next subscription read takes its state now, then waits for <c>release</c> before answering.</summary>
    public (Task Reached, TaskCompletionSource Release) HoldNextSubscriptionRead()
    {
        lock (_lock)
        {
            _holdReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _holdRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return (_holdReached.Task, _holdRelease);
        }
    }

    /// <summary>The customer completes the session's payment: an active subscription with the session's price and metadata.</summary>
    public string Complete(string sessionId)
    {
        lock (_lock)
        {
            var session = _sessions[sessionId];
            var id = NewId("sub");
            _subscriptions[id] = new JsonObject
            {
                ["id"] = id,
                ["object"] = "subscription",
                ["customer"] = session["customer"]!.GetValue<string>(),
                ["status"] = "active",
                ["metadata"] = session["subscription_metadata"]!.DeepClone(),
                ["items"] = new JsonObject
                {
                    ["object"] = "list",
                    ["data"] = new JsonArray(new JsonObject { ["id"] = NewId("si"), ["object"] = "subscription_item", ["price"] = new JsonObject { ["id"] = session["price"]!.GetValue<string>(), ["object"] = "price" } }),
                },
            };
            session["subscription"] = id;
            session["status"] = "complete";
            return id;
        }
    }

    /// <summary>A subscription made elsewhere (no RTGF metadata), for a customer billing does not know.</summary>
    public string Foreign(string price)
    {
        lock (_lock)
        {
            var customer = NewId("cus");
            _customers[customer] = new JsonObject { ["id"] = customer, ["object"] = "customer", ["metadata"] = new JsonObject() };
            var id = NewId("sub");
            _subscriptions[id] = new JsonObject
            {
                ["id"] = id, ["object"] = "subscription", ["customer"] = customer, ["status"] = "active", ["metadata"] = new JsonObject(),
                ["items"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray(new JsonObject { ["id"] = NewId("si"), ["object"] = "subscription_item", ["price"] = new JsonObject { ["id"] = price, ["object"] = "price" } }) },
            };
            return id;
        }
    }

    public void SetStatus(string subscriptionId, string status)
    {
        lock (_lock)
        {
            _subscriptions[subscriptionId]["status"] = status;
        }
    }

    /// <summary>The event Stripe would send now: <paramref name="type"/> with a snapshot of the object as it is.</summary>
    public string Event(string type, string objectId)
    {
        lock (_lock)
        {
            JsonNode data = type switch
            {
                "checkout.session.completed" => Public(_sessions[objectId]),
                "invoice.paid" or "invoice.payment_failed" => new JsonObject
                {
                    ["id"] = NewId("in"),
                    ["object"] = "invoice",
                    ["customer"] = _subscriptions[objectId]["customer"]!.GetValue<string>(),
                    ["parent"] = new JsonObject { ["type"] = "subscription_details", ["subscription_details"] = new JsonObject { ["subscription"] = objectId } },
                },
                _ => _subscriptions[objectId].DeepClone(),
            };
            return new JsonObject
            {
                ["id"] = NewId("evt"),
                ["object"] = "event",
                ["api_version"] = "2025-11-17.clover",
                ["created"] = 1_764_900_000,
                ["type"] = type,
                ["livemode"] = false,
                ["data"] = new JsonObject { ["object"] = data },
            }.ToJsonString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        var path = request.Path.Value ?? string.Empty;
        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        (int Status, string Body) answer;
        Task? hold = null;
        lock (_lock)
        {
            Requests.Add(request.Method + " " + path);
            if (_faults.TryDequeue(out var fault))
            {
                answer = (fault, Error(fault == 429 ? "rate_limit_error" : "api_error", "Scripted fault."));
            }
            else if (request.Method == "POST" && idempotencyKey.Length > 0 && _idempotent.TryGetValue(idempotencyKey, out var replay))
            {
                answer = replay;
            }
            else
            {
                answer = Route(request.Method, path, form);
                if (request.Method == "POST" && idempotencyKey.Length > 0 && answer.Status < 500)
                {
                    _idempotent[idempotencyKey] = answer;
                }

                if (request.Method == "GET" && path.StartsWith("/v1/subscriptions/", StringComparison.Ordinal) && _holdRelease is { } release)
                {
                    _holdReached!.TrySetResult();
                    hold = release.Task;
                    _holdRelease = null;
                }
            }
        }

        if (hold is not null)
        {
            await hold;
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body);
    }

    private (int, string) Route(string method, string path, IFormCollection? form)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (method, segments)
        {
            case ("POST", ["v1", "customers"]):
            {
                var id = NewId("cus");
                _customers[id] = new JsonObject { ["id"] = id, ["object"] = "customer", ["metadata"] = Metadata(form!, "metadata") };
                return (200, _customers[id].ToJsonString());
            }

            case ("POST", ["v1", "checkout", "sessions"]):
            {
                if (!_customers.ContainsKey(form!["customer"].ToString()))
                {
                    return (400, Error("invalid_request_error", "No such customer."));
                }

                var id = NewId("cs");
                _sessions[id] = new JsonObject
                {
                    ["id"] = id,
                    ["object"] = "checkout.session",
                    ["mode"] = form["mode"].ToString(),
                    ["customer"] = form["customer"].ToString(),
                    ["client_reference_id"] = form["client_reference_id"].ToString(),
                    ["success_url"] = form["success_url"].ToString(),
                    ["cancel_url"] = form["cancel_url"].ToString(),
                    ["url"] = "https://checkout.stripe.test/c/pay/" + id,
                    ["status"] = "open",
                    ["subscription"] = null,
                    ["metadata"] = Metadata(form, "metadata"),
                    ["price"] = form["line_items[0][price]"].ToString(),
                    ["subscription_metadata"] = Metadata(form, "subscription_data[metadata]"),
                };
                return (200, Public(_sessions[id]).ToJsonString());
            }

            case ("GET", ["v1", "checkout", "sessions", var id]) when _sessions.TryGetValue(id, out var session):
                return (200, Public(session).ToJsonString());
            case ("GET", ["v1", "subscriptions", var id]) when _subscriptions.TryGetValue(id, out var subscription):
                return (200, subscription.ToJsonString());
            default:
                return (404, Error("invalid_request_error", "No such resource."));
        }
    }

    private static JsonObject Public(JsonObject session)
    {
        var copy = (JsonObject)session.DeepClone();
        copy.Remove("price");
        copy.Remove("subscription_metadata");
        return copy;
    }

    private static JsonObject Metadata(IFormCollection form, string prefix)
    {
        var metadata = new JsonObject();
        foreach (var (name, value) in form.Where(f => f.Key.StartsWith(prefix + "[", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            metadata[name[(prefix.Length + 1)..^1]] = value.ToString();
        }

        return metadata;
    }

    private static string Error(string type, string message) =>
        new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["message"] = message } }.ToJsonString();

    private string NewId(string prefix) => prefix + "_" + (++_next).ToString("D6", CultureInfo.InvariantCulture);
}
