using System.Globalization;
using System.Text.Json.Nodes;

namespace Rtgf.StripeStandIn;

/// <summary>
/// The stand-in's account: customers, checkout sessions, subscriptions, invoices, charges and the events their changes
/// emit. Objects are kept in their wire form (JSON) and copied out, so a response or an event is the state at that moment.
/// One lock: the stand-in is a test double, and a single order of changes makes event order well defined.
/// </summary>
internal sealed class StripeWorld(StripeStandInOptions options, Uri baseUri)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<string> _customers = [];
    private readonly List<string> _invoices = [];
    private readonly List<string> _sessions = [];
    private readonly List<string> _refunds = [];
    private readonly List<StandInEvent> _events = [];
    private readonly Dictionary<string, StandInPrice> _prices = options.Prices.ToDictionary(p => p.Id, StringComparer.Ordinal);

    /// <summary>Raised (outside the lock) after events were added.</summary>
    public event Action? EventsAdded;

    private long Now => options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();

    public string NextId(string prefix)
    {
        lock (_gate)
        {
            var n = _counters.TryGetValue(prefix, out var last) ? last + 1 : 1;
            _counters[prefix] = n;
            return string.Create(CultureInfo.InvariantCulture, $"{prefix}_{options.IdNamespace}{n:D10}");
        }
    }

    /// <summary>
    /// An id that does not count up (a hash of the counter), as Stripe's random ids do not: code that took the bigger id for
    /// the newer object would be wrong at Stripe, so it is wrong here too. Deterministic, so a run can be repeated.
    /// </summary>
    public string ScrambledId(string prefix)
    {
        var counted = NextId(prefix);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(counted));
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}_{options.IdNamespace}{Convert.ToHexStringLower(hash.AsSpan(0, 10))}");
    }

    // ---- API ----

    public JsonObject CreateCustomer(StripeParameters parameters, RequestInfo request)
    {
        var email = parameters.Get("email");
        var name = parameters.Get("name");
        var metadata = parameters.Map("metadata");
        return Change(request, emit =>
        {
            var customer = NewCustomer(email, name, metadata);
            emit("customer.created", customer, null);
            return customer;
        });
    }

    public JsonObject ListCustomers(StripeParameters parameters)
    {
        var email = parameters.Get("email");
        lock (_gate)
        {
            var matching = _customers.Select(id => _objects[id]).Where(c => email is null || string.Equals((string?)c["email"], email, StringComparison.Ordinal));
            return Page(matching, parameters, "/v1/customers");
        }
    }

    /// <summary>
    /// <c>GET /v1/customers/search</c> for one query form only, <c>metadata['key']:'value'</c> (what the app asks); the
    /// matches newest first, at most <c>limit</c>, as Stripe's <c>search_result</c> (no <c>page</c> cursor: one page).
    /// </summary>
    public JsonObject SearchCustomers(StripeParameters parameters)
    {
        var query = parameters.Required("query");
        const string Prefix = "metadata['";
        var close = query.IndexOf("']:'", StringComparison.Ordinal);
        if (!query.StartsWith(Prefix, StringComparison.Ordinal) || close < Prefix.Length + 1 || !query.EndsWith('\'') || query.Length < close + 5)
        {
            throw StripeApiException.Invalid("query", $"The stand-in searches customers by metadata['key']:'value' only, not '{query}'.");
        }

        var key = query[Prefix.Length..close];
        var value = query[(close + 4)..^1];
        var limit = parameters.Integer("limit") ?? 10;
        if (limit is < 1 or > 100)
        {
            throw StripeApiException.Invalid("limit", "Invalid limit: must be between 1 and 100", "parameter_invalid_integer");
        }

        lock (_gate)
        {
            var matching = _customers.Select(id => _objects[id]).Where(c => c["metadata"] is JsonObject m && (string?)m[key] == value).Reverse().ToList();
            var page = matching.Take((int)limit).Select(Public).ToList();
            return new JsonObject
            {
                ["object"] = "search_result",
                ["data"] = new JsonArray([.. page]),
                ["has_more"] = matching.Count > page.Count,
                ["next_page"] = null,
                ["url"] = "/v1/customers/search",
            };
        }
    }

    public JsonObject CreateCheckoutSession(StripeParameters parameters, RequestInfo request)
    {
        var mode = parameters.Required("mode");
        if (mode != "subscription")
        {
            throw StripeApiException.Invalid("mode", $"Invalid mode: the stand-in serves mode=subscription only, not '{mode}'.");
        }

        var successUrl = parameters.Required("success_url");
        var cancelUrl = parameters.Get("cancel_url");
        var customerId = parameters.Get("customer");
        var customerEmail = parameters.Get("customer_email");
        if (customerId is not null && customerEmail is not null)
        {
            throw StripeApiException.Invalid("customer_email", "You may only specify one of these parameters: customer, customer_email.", "parameter_invalid_empty");
        }

        var indexes = parameters.Indexes("line_items");
        if (indexes.Count == 0)
        {
            throw StripeApiException.MissingParameter("line_items");
        }

        var items = new List<(StandInPrice Price, long Quantity)>();
        foreach (var index in indexes)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"line_items[{index}]");
            var priceId = parameters.Required(key + "[price]");
            if (!_prices.TryGetValue(priceId, out var price))
            {
                throw StripeApiException.Missing("price", priceId, key + "[price]");
            }

            var quantity = parameters.Integer(key + "[quantity]") ?? 1;
            if (quantity < 1)
            {
                throw StripeApiException.Invalid(key + "[quantity]", "Quantity must be at least 1.", "parameter_invalid_integer");
            }

            items.Add((price, quantity));
        }

        if (items.Select(i => i.Price.Currency).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw StripeApiException.Invalid("line_items", "All prices in a checkout session must share one currency.");
        }

        var metadata = parameters.Map("metadata");
        var subscriptionMetadata = parameters.Map("subscription_data[metadata]");
        var clientReference = parameters.Get("client_reference_id");
        return Change(request, _ =>
        {
            if (customerId is not null && !_objects.ContainsKey(customerId))
            {
                throw StripeApiException.Missing("customer", customerId, "customer");
            }

            var id = ScrambledId("cs_test");
            var now = Now;
            var session = new JsonObject
            {
                ["id"] = id,
                ["object"] = "checkout.session",
                ["amount_subtotal"] = items.Sum(i => i.Price.UnitAmount * i.Quantity),
                ["amount_total"] = items.Sum(i => i.Price.UnitAmount * i.Quantity),
                ["cancel_url"] = cancelUrl,
                ["client_reference_id"] = clientReference,
                ["created"] = now,
                ["currency"] = items[0].Price.Currency,
                ["customer"] = customerId,
                ["customer_details"] = null,
                ["customer_email"] = customerEmail,
                ["expires_at"] = now + (24 * 3600),
                ["invoice"] = null,
                ["livemode"] = false,
                ["metadata"] = Metadata(metadata),
                ["mode"] = "subscription",
                ["payment_status"] = "unpaid",
                ["status"] = "open",
                ["subscription"] = null,
                ["success_url"] = successUrl,
                ["ui_mode"] = "hosted",
                ["url"] = new Uri(baseUri, $"_standin/checkout/{id}").AbsoluteUri,
                // Not part of Stripe's session object: what the session will create, kept for the admin completion.
                ["_line_items"] = new JsonArray([.. items.Select(i => new JsonObject { ["price"] = i.Price.Id, ["quantity"] = i.Quantity })]),
                ["_subscription_metadata"] = Metadata(subscriptionMetadata),
            };
            _objects[id] = session;
            _sessions.Add(id);
            return session;
        });
    }

    /// <summary><c>GET /v1/checkout/sessions</c>: newest first, by <c>customer</c>, <c>status</c> (open, complete, expired) and <c>subscription</c>.</summary>
    public JsonObject ListCheckoutSessions(StripeParameters parameters)
    {
        var status = parameters.Get("status");
        if (status is not null and not ("open" or "complete" or "expired"))
        {
            throw StripeApiException.Invalid("status", $"Invalid status: must be one of complete, expired, or open");
        }

        var customer = parameters.Get("customer");
        var subscription = parameters.Get("subscription");
        lock (_gate)
        {
            var matching = _sessions.Select(id => _objects[id]).Where(session =>
                (status is null || (string?)session["status"] == status)
                && (customer is null || (string?)session["customer"] == customer)
                && (subscription is null || (string?)session["subscription"] == subscription));
            return Page(matching, parameters, "/v1/checkout/sessions");
        }
    }

    /// <summary>
    /// <c>POST /v1/checkout/sessions/{id}/expire</c>: an open session can no longer be paid (<c>checkout.session.expired</c>);
    /// any other status is Stripe's 400 (its message, verbatim in form).
    /// </summary>
    public JsonObject ExpireCheckoutSession(string id, RequestInfo request) => Change(request, emit =>
    {
        var session = Get("checkout session", "cs_", id);
        var status = (string?)session["status"];
        if (status != "open")
        {
            throw new StripeApiException(400, "invalid_request_error", null,
                $"Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of `{status}`.");
        }

        session["status"] = "expired";
        session["url"] = null;
        emit("checkout.session.expired", session, null);
        return session;
    });

    public JsonObject Retrieve(string kind, string prefix, string id, IReadOnlyList<string> expand)
    {
        lock (_gate)
        {
            if (!id.StartsWith(prefix, StringComparison.Ordinal) || !_objects.TryGetValue(id, out var found))
            {
                throw StripeApiException.Missing(kind, id, "id");
            }

            return Expand(found, expand);
        }
    }

    public JsonObject ListInvoices(StripeParameters parameters)
    {
        var status = parameters.Get("status");
        if (status is not null and not ("draft" or "open" or "paid" or "uncollectible" or "void"))
        {
            throw StripeApiException.Invalid("status", $"Invalid status: must be one of draft, open, paid, uncollectible, or void");
        }

        var customer = parameters.Get("customer");
        var subscription = parameters.Get("subscription");
        var gte = parameters.Integer("created[gte]");
        var gt = parameters.Integer("created[gt]");
        var lte = parameters.Integer("created[lte]");
        var lt = parameters.Integer("created[lt]");
        var createdExact = parameters.Integer("created");
        lock (_gate)
        {
            var matching = _invoices.Select(id => _objects[id]).Where(invoice =>
            {
                var created = (long)invoice["created"]!;
                return (status is null || (string?)invoice["status"] == status)
                    && (customer is null || (string?)invoice["customer"] == customer)
                    && (subscription is null || (string?)invoice["parent"]?["subscription_details"]?["subscription"] == subscription)
                    && (gte is null || created >= gte) && (gt is null || created > gt)
                    && (lte is null || created <= lte) && (lt is null || created < lt)
                    && (createdExact is null || created == createdExact);
            });
            return Page(matching, parameters, "/v1/invoices");
        }
    }

    /// <summary>GET /v1/refunds: newest first, by <c>charge</c>, <c>payment_intent</c> and <c>created</c> range, as Stripe filters them.</summary>
    public JsonObject ListRefunds(StripeParameters parameters)
    {
        var charge = parameters.Get("charge");
        var paymentIntent = parameters.Get("payment_intent");
        var gte = parameters.Integer("created[gte]");
        var gt = parameters.Integer("created[gt]");
        var lte = parameters.Integer("created[lte]");
        var lt = parameters.Integer("created[lt]");
        lock (_gate)
        {
            var matching = _refunds.Select(id => _objects[id]).Where(refund =>
            {
                var created = (long)refund["created"]!;
                return (charge is null || (string?)refund["charge"] == charge)
                    && (paymentIntent is null || (string?)refund["payment_intent"] == paymentIntent)
                    && (gte is null || created >= gte) && (gt is null || created > gt)
                    && (lte is null || created <= lte) && (lt is null || created < lt);
            });
            return Page(matching, parameters, "/v1/refunds");
        }
    }

    // ---- scenario (admin) ----

    /// <summary>The customer pays: a customer if the session had only an email, an active subscription, a paid invoice.</summary>
    /// <summary>
    /// The payer's <paramref name="email"/> (typed on the page) becomes <c>customer_details.email</c>, and the customer's
    /// email if it has none (so its invoices carry <c>customer_email</c>).
    /// </summary>
    public JsonObject CompleteCheckoutSession(string id, string? email = null, bool paymentPending = false) => Change(RequestInfo.None, emit =>
    {
        var session = Get("checkout session", "cs_", id);
        if ((string?)session["status"] != "open")
        {
            throw Conflict($"The checkout session {id} is {(string?)session["status"]}, not open.");
        }

        var customerId = (string?)session["customer"];
        if (customerId is null)
        {
            var customer = NewCustomer((string?)session["customer_email"], null, new SortedDictionary<string, string>(StringComparer.Ordinal));
            customerId = (string)customer["id"]!;
            emit("customer.created", customer, null);
        }

        if (email is not null && _objects[customerId]["email"] is null)
        {
            _objects[customerId]["email"] = email;
        }

        var now = Now;
        var subscriptionId = NextId("sub");
        var items = new JsonArray();
        foreach (var line in session["_line_items"]!.AsArray())
        {
            var price = _prices[(string)line!["price"]!];
            items.Add(new JsonObject
            {
                ["id"] = NextId("si"),
                ["object"] = "subscription_item",
                ["created"] = now,
                ["current_period_start"] = now,
                ["current_period_end"] = PeriodEnd(now, price.Interval),
                ["metadata"] = new JsonObject(),
                ["price"] = PriceObject(price),
                ["quantity"] = (long)line["quantity"]!,
                ["subscription"] = subscriptionId,
            });
        }

        var subscription = new JsonObject
        {
            ["id"] = subscriptionId,
            ["object"] = "subscription",
            ["cancel_at"] = null,
            ["cancel_at_period_end"] = false,
            ["canceled_at"] = null,
            ["collection_method"] = "charge_automatically",
            ["created"] = now,
            ["currency"] = (string?)session["currency"],
            ["customer"] = customerId,
            ["ended_at"] = null,
            ["items"] = new JsonObject { ["object"] = "list", ["data"] = items, ["has_more"] = false, ["url"] = $"/v1/subscription_items?subscription={subscriptionId}" },
            ["latest_invoice"] = null,
            ["livemode"] = false,
            ["metadata"] = session["_subscription_metadata"]!.DeepClone(),
            ["start_date"] = now,
            // A payment still being confirmed (3-D Secure): incomplete with an open invoice until Recover pays it.
            ["status"] = paymentPending ? "incomplete" : "active",
        };
        _objects[subscriptionId] = subscription;
        var invoice = NewInvoice(subscription, "subscription_create", paid: !paymentPending);
        session["status"] = "complete";
        session["payment_status"] = paymentPending ? "unpaid" : "paid";
        session["url"] = null;
        session["customer_details"] = new JsonObject
        {
            ["address"] = null,
            ["email"] = email ?? (string?)_objects[customerId]["email"],
            ["name"] = null,
            ["phone"] = null,
            ["tax_exempt"] = "none",
            ["tax_ids"] = new JsonArray(),
        };
        session["customer"] = customerId;
        session["subscription"] = subscriptionId;
        session["invoice"] = (string)invoice["id"]!;
        emit("checkout.session.completed", session, null);
        emit("customer.subscription.created", subscription, null);
        if (!paymentPending)
        {
            emit("invoice.paid", invoice, null);
        }

        return session;
    });

    /// <summary>The next period's invoice is not paid: the subscription goes past due.</summary>
    public JsonObject FailNextPayment(string id) => Change(RequestInfo.None, emit =>
    {
        var subscription = Live(id);
        var previous = Snapshot(subscription, "status", "latest_invoice");
        AdvancePeriod(subscription);
        var invoice = NewInvoice(subscription, "subscription_cycle", paid: false);
        subscription["status"] = "past_due";
        emit("invoice.payment_failed", invoice, null);
        emit("customer.subscription.updated", subscription, previous);
        return subscription;
    });

    /// <summary>Stripe retries the open invoice and it fails again: <c>attempt_count</c> + 1, <c>invoice.payment_failed</c>.</summary>
    public JsonObject RetryFails(string id) => Change(RequestInfo.None, emit =>
    {
        var subscription = Live(id);
        var invoice = Get("invoice", "in_", (string)subscription["latest_invoice"]!);
        if ((string?)invoice["status"] != "open")
        {
            throw Conflict($"The subscription {id} has no unpaid invoice to retry.");
        }

        invoice["attempt_count"] = invoice["attempt_count"]!.GetValue<int>() + 1;
        emit("invoice.payment_failed", invoice, null);
        return subscription;
    });

    /// <summary>The open invoice is paid after all: the subscription is active again.</summary>
    public JsonObject Recover(string id) => Change(RequestInfo.None, emit =>
    {
        var subscription = Live(id);
        var invoice = Get("invoice", "in_", (string)subscription["latest_invoice"]!);
        if ((string?)invoice["status"] != "open")
        {
            throw Conflict($"The subscription {id} has no unpaid invoice to recover.");
        }

        MarkPaid(invoice);
        var previous = Snapshot(subscription, "status");
        subscription["status"] = "active";
        emit("invoice.paid", invoice, null);
        emit("customer.subscription.updated", subscription, previous);
        return subscription;
    });

    /// <summary>The customer moves to another price (a plan change), from now.</summary>
    public JsonObject ChangePrice(string id, string priceId) => Change(RequestInfo.None, emit =>
    {
        var subscription = Live(id);
        if (!_prices.TryGetValue(priceId, out var price))
        {
            throw StripeApiException.Missing("price", priceId, "price");
        }

        var previous = Snapshot(subscription, "items");
        foreach (var item in subscription["items"]!["data"]!.AsArray())
        {
            item!["price"] = PriceObject(price);
        }

        emit("customer.subscription.updated", subscription, previous);
        return subscription;
    });

    /// <summary>The subscription ends now.</summary>
    public JsonObject Cancel(string id) => Change(RequestInfo.None, emit =>
    {
        var subscription = Live(id);
        var now = Now;
        subscription["status"] = "canceled";
        subscription["canceled_at"] = now;
        subscription["ended_at"] = now;
        emit("customer.subscription.deleted", subscription, null);
        return subscription;
    });

    /// <summary>A period passes and is paid: the next period's invoice, paid.</summary>
    public JsonObject AdvancePeriod(string id) => Change(RequestInfo.None, emit =>
    {
        var subscription = Live(id);
        var previous = Snapshot(subscription, "items", "latest_invoice");
        AdvancePeriod(subscription);
        var invoice = NewInvoice(subscription, "subscription_cycle", paid: true);
        emit("invoice.paid", invoice, null);
        emit("customer.subscription.updated", subscription, previous);
        return invoice;
    });

    /// <summary>A paid invoice's charge is refunded, in full or in part.</summary>
    public JsonObject Refund(string invoiceId, long? amount) => Change(RequestInfo.None, emit =>
    {
        var invoice = Get("invoice", "in_", invoiceId);
        var chargeId = (string?)invoice["_charge"] ?? throw Conflict($"The invoice {invoiceId} was not paid.");
        var charge = _objects[chargeId];
        var refundable = (long)charge["amount"]! - (long)charge["amount_refunded"]!;
        var refund = amount ?? refundable;
        if (refund < 1 || refund > refundable)
        {
            throw StripeApiException.Invalid("amount", string.Create(CultureInfo.InvariantCulture, $"Refund amount ({refund}) is not between 1 and the refundable {refundable}."), "parameter_invalid_integer");
        }

        var previous = Snapshot(charge, "amount_refunded", "refunded");
        var refundId = NextId("re");
        _objects[refundId] = new JsonObject
        {
            ["id"] = refundId,
            ["object"] = "refund",
            ["amount"] = refund,
            ["balance_transaction"] = null,
            ["charge"] = chargeId,
            ["created"] = Now,
            ["currency"] = (string?)charge["currency"],
            ["destination_details"] = null,
            ["metadata"] = new JsonObject(),
            ["payment_intent"] = (string?)charge["payment_intent"],
            ["reason"] = null,
            ["receipt_number"] = null,
            ["source_transfer_reversal"] = null,
            ["status"] = "succeeded",
            ["transfer_reversal"] = null,
        };
        _refunds.Add(refundId);
        charge["amount_refunded"] = (long)charge["amount_refunded"]! + refund;
        charge["refunded"] = (long)charge["amount_refunded"]! == (long)charge["amount"]!;
        emit("charge.refunded", charge, previous);
        return charge;
    });

    // ---- events ----

    public IReadOnlyList<StandInEvent> Events(string? after)
    {
        lock (_gate)
        {
            var start = 0;
            if (after is not null)
            {
                start = _events.FindIndex(e => e.Id == after) + 1;
                if (start == 0)
                {
                    throw StripeApiException.Missing("event", after, "after");
                }
            }

            return _events.GetRange(start, _events.Count - start);
        }
    }

    /// <summary>GET /v1/events: newest first, by <c>type</c> and <c>created</c> range, as Stripe filters them (Stripe keeps 30 days; the stand-in keeps all).</summary>
    public JsonObject ListEvents(StripeParameters parameters)
    {
        var type = parameters.Get("type");
        var gte = parameters.Integer("created[gte]");
        var gt = parameters.Integer("created[gt]");
        var lte = parameters.Integer("created[lte]");
        var lt = parameters.Integer("created[lt]");
        lock (_gate)
        {
            var matching = _events.Where(e => (type is null || e.Type == type)
                    && (gte is null || e.Created >= gte) && (gt is null || e.Created > gt)
                    && (lte is null || e.Created <= lte) && (lt is null || e.Created < lt))
                .Select(e => (JsonObject)JsonNode.Parse(e.Body)!);
            return Page(matching, parameters, "/v1/events");
        }
    }

    public StandInEvent Event(string id)
    {
        lock (_gate)
        {
            return _events.Find(e => e.Id == id) ?? throw StripeApiException.Missing("event", id, "id");
        }
    }

    // ---- internals (callers hold the lock) ----

    private delegate void Emit(string type, JsonObject state, JsonObject? previousAttributes);

    /// <summary>Runs one change under the lock; its events are kept in order and announced once the lock is released.</summary>
    private JsonObject Change(RequestInfo request, Func<Emit, JsonObject> change)
    {
        JsonObject result;
        var emitted = false;
        lock (_gate)
        {
            result = change((type, state, previous) =>
            {
                var id = NextId("evt");
                var created = Now;
                var data = new JsonObject { ["object"] = Public(state) };
                if (previous is not null)
                {
                    data["previous_attributes"] = previous;
                }

                var body = new JsonObject
                {
                    ["id"] = id,
                    ["object"] = "event",
                    ["api_version"] = options.ApiVersion,
                    ["created"] = created,
                    ["data"] = data,
                    ["livemode"] = false,
                    ["pending_webhooks"] = options.WebhookUrl is null ? 0 : 1,
                    ["request"] = new JsonObject { ["id"] = request.Id, ["idempotency_key"] = request.IdempotencyKey },
                    ["type"] = type,
                };
                _events.Add(new StandInEvent(id, type, created, body.ToJsonString()));
                emitted = true;
            });
            result = Public(result);
        }

        if (emitted)
        {
            EventsAdded?.Invoke();
        }

        return result;
    }

    private JsonObject NewCustomer(string? email, string? name, SortedDictionary<string, string> metadata)
    {
        var id = NextId("cus");
        var customer = new JsonObject
        {
            ["id"] = id,
            ["object"] = "customer",
            ["balance"] = 0,
            ["created"] = Now,
            ["currency"] = null,
            ["delinquent"] = false,
            ["description"] = null,
            ["email"] = email,
            ["invoice_prefix"] = id[^8..].ToUpperInvariant(),
            ["livemode"] = false,
            ["metadata"] = Metadata(metadata),
            ["name"] = name,
            ["phone"] = null,
        };
        _objects[id] = customer;
        _customers.Add(id);
        return customer;
    }

    private JsonObject NewInvoice(JsonObject subscription, string reason, bool paid)
    {
        var id = NextId("in");
        var now = Now;
        var items = subscription["items"]!["data"]!.AsArray();
        var first = items[0]!;
        var lines = new JsonArray();
        long total = 0;
        foreach (var item in items)
        {
            var unit = (long)item!["price"]!["unit_amount"]!;
            var quantity = (long)item["quantity"]!;
            total += unit * quantity;
            lines.Add(new JsonObject
            {
                ["id"] = NextId("il"),
                ["object"] = "line_item",
                ["amount"] = unit * quantity,
                ["currency"] = (string?)item["price"]!["currency"],
                ["description"] = string.Create(CultureInfo.InvariantCulture, $"{quantity} × {(string?)item["price"]!["lookup_key"]}"),
                ["invoice"] = id,
                ["livemode"] = false,
                ["metadata"] = new JsonObject(),
                ["parent"] = new JsonObject
                {
                    ["type"] = "subscription_item_details",
                    ["subscription_item_details"] = new JsonObject { ["subscription"] = (string?)subscription["id"], ["subscription_item"] = (string?)item["id"], ["proration"] = false },
                },
                ["period"] = new JsonObject { ["start"] = (long)item["current_period_start"]!, ["end"] = (long)item["current_period_end"]! },
                ["pricing"] = new JsonObject
                {
                    ["type"] = "price_details",
                    ["price_details"] = new JsonObject { ["price"] = (string?)item["price"]!["id"], ["product"] = (string?)item["price"]!["product"] },
                    ["unit_amount_decimal"] = unit.ToString(CultureInfo.InvariantCulture),
                },
                ["quantity"] = quantity,
            });
        }

        var customerId = (string)subscription["customer"]!;
        var invoice = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["amount_due"] = total,
            ["amount_paid"] = 0,
            ["amount_remaining"] = total,
            ["attempt_count"] = 1,
            ["attempted"] = true,
            ["billing_reason"] = reason,
            ["collection_method"] = "charge_automatically",
            ["created"] = now,
            ["currency"] = (string?)subscription["currency"],
            ["customer"] = customerId,
            ["customer_email"] = (string?)_objects[customerId]["email"],
            ["hosted_invoice_url"] = new Uri(baseUri, $"_standin/invoices/{id}").AbsoluteUri,
            ["lines"] = new JsonObject { ["object"] = "list", ["data"] = lines, ["has_more"] = false, ["url"] = $"/v1/invoices/{id}/lines" },
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["next_payment_attempt"] = null,
            ["number"] = string.Create(CultureInfo.InvariantCulture, $"{(string?)_objects[customerId]["invoice_prefix"]}-{_invoices.Count(i => (string?)_objects[i]["customer"] == customerId) + 1:D4}"),
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["metadata"] = subscription["metadata"]!.DeepClone(), ["subscription"] = (string?)subscription["id"] },
            },
            ["period_start"] = (long)first["current_period_start"]!,
            ["period_end"] = (long)first["current_period_end"]!,
            ["status"] = "open",
            ["status_transitions"] = new JsonObject { ["finalized_at"] = now, ["marked_uncollectible_at"] = null, ["paid_at"] = null, ["voided_at"] = null },
            ["subtotal"] = total,
            ["total"] = total,
        };
        _objects[id] = invoice;
        _invoices.Add(id);
        subscription["latest_invoice"] = id;
        if (paid)
        {
            MarkPaid(invoice);
        }
        else
        {
            invoice["next_payment_attempt"] = now + (3 * 24 * 3600);
        }

        return invoice;
    }

    private void MarkPaid(JsonObject invoice)
    {
        var now = Now;
        var amount = (long)invoice["amount_due"]!;
        var paymentIntent = NextId("pi");
        var chargeId = NextId("ch");
        _objects[chargeId] = new JsonObject
        {
            ["id"] = chargeId,
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = amount,
            ["amount_refunded"] = 0L,
            ["captured"] = true,
            ["created"] = now,
            ["currency"] = (string?)invoice["currency"],
            ["customer"] = (string?)invoice["customer"],
            ["description"] = "Subscription payment",
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["paid"] = true,
            ["payment_intent"] = paymentIntent,
            ["receipt_email"] = (string?)invoice["customer_email"],
            ["refunded"] = false,
            ["status"] = "succeeded",
        };
        invoice["status"] = "paid";
        invoice["amount_paid"] = amount;
        invoice["amount_remaining"] = 0;
        invoice["next_payment_attempt"] = null;
        invoice["status_transitions"]!["paid_at"] = now;
        invoice["payments"] = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject
            {
                ["id"] = NextId("inpay"),
                ["object"] = "invoice_payment",
                ["amount_paid"] = amount,
                ["amount_requested"] = amount,
                ["created"] = now,
                ["currency"] = (string?)invoice["currency"],
                ["invoice"] = (string?)invoice["id"],
                ["is_default"] = true,
                ["livemode"] = false,
                ["payment"] = new JsonObject { ["type"] = "payment_intent", ["payment_intent"] = paymentIntent },
                ["status"] = "paid",
                ["status_transitions"] = new JsonObject { ["canceled_at"] = null, ["paid_at"] = now },
            }),
            ["has_more"] = false,
            ["url"] = "/v1/invoice_payments",
        };
        invoice["_charge"] = chargeId;
    }

    private static void AdvancePeriod(JsonObject subscription)
    {
        foreach (var item in subscription["items"]!["data"]!.AsArray())
        {
            var start = (long)item!["current_period_end"]!;
            item["current_period_start"] = start;
            item["current_period_end"] = PeriodEnd(start, (string)item["price"]!["recurring"]!["interval"]!);
        }
    }

    private JsonObject Live(string id)
    {
        var subscription = Get("subscription", "sub_", id);
        return (string?)subscription["status"] == "canceled"
            ? throw new StripeApiException(400, "invalid_request_error", "resource_missing", $"The subscription {id} is canceled.", "id")
            : subscription;
    }

    private JsonObject Get(string kind, string prefix, string id) =>
        id.StartsWith(prefix, StringComparison.Ordinal) && _objects.TryGetValue(id, out var found) ? found : throw StripeApiException.Missing(kind, id, "id");

    private static StripeApiException Conflict(string message) => new(409, "invalid_request_error", "state_conflict", message);

    private JsonObject Expand(JsonObject found, IReadOnlyList<string> expand)
    {
        var copy = Public(found);
        foreach (var field in expand)
        {
            if (copy[field] is not JsonValue value || !value.TryGetValue<string>(out var id) || !_objects.TryGetValue(id, out var target) || field.StartsWith('_'))
            {
                if (copy.ContainsKey(field) && copy[field] is null)
                {
                    continue; // expanding an empty reference leaves null, as in Stripe
                }

                throw StripeApiException.Invalid("expand", $"This property cannot be expanded ({field}).", "parameter_invalid_string");
            }

            copy[field] = Public(target);
        }

        return copy;
    }

    private static JsonObject Page(IEnumerable<JsonObject> oldestFirst, StripeParameters parameters, string url)
    {
        var limit = parameters.Integer("limit") ?? 10;
        if (limit is < 1 or > 100)
        {
            throw StripeApiException.Invalid("limit", "Invalid limit: must be between 1 and 100", "parameter_invalid_integer");
        }

        var newestFirst = oldestFirst.Reverse().ToList(); // Stripe lists newest first
        var start = 0;
        if (parameters.Get("starting_after") is { } after)
        {
            start = newestFirst.FindIndex(o => (string?)o["id"] == after) + 1;
            if (start == 0)
            {
                throw StripeApiException.Missing("object", after, "starting_after");
            }
        }

        var page = newestFirst.Skip(start).Take((int)limit).Select(Public).ToList();
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. page]),
            ["has_more"] = newestFirst.Count > start + page.Count,
            ["url"] = url,
        };
    }

    /// <summary>A copy for the wire: Stripe's fields only (the stand-in's own bookkeeping starts with '_').</summary>
    private static JsonObject Public(JsonObject state)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in state)
        {
            if (!key.StartsWith('_'))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }

    private static JsonObject Snapshot(JsonObject state, params string[] fields)
    {
        var previous = new JsonObject();
        foreach (var field in fields)
        {
            previous[field] = state[field]?.DeepClone();
        }

        return previous;
    }

    private static JsonObject Metadata(SortedDictionary<string, string> metadata)
    {
        var json = new JsonObject();
        foreach (var (key, value) in metadata)
        {
            json[key] = value;
        }

        return json;
    }

    private static JsonObject PriceObject(StandInPrice price) => new()
    {
        ["id"] = price.Id,
        ["object"] = "price",
        ["active"] = true,
        ["billing_scheme"] = "per_unit",
        ["currency"] = price.Currency,
        ["livemode"] = false,
        ["lookup_key"] = price.Plan,
        ["metadata"] = new JsonObject { ["plan"] = price.Plan },
        ["product"] = "prod_" + price.Plan,
        ["recurring"] = new JsonObject { ["interval"] = price.Interval, ["interval_count"] = 1, ["usage_type"] = "licensed" },
        ["type"] = "recurring",
        ["unit_amount"] = price.UnitAmount,
        ["unit_amount_decimal"] = price.UnitAmount.ToString(CultureInfo.InvariantCulture),
    };

    private static long PeriodEnd(long start, string interval)
    {
        var from = DateTimeOffset.FromUnixTimeSeconds(start);
        return (interval == "year" ? from.AddYears(1) : from.AddMonths(1)).ToUnixTimeSeconds();
    }
}

/// <summary>The API request behind a change (events name it); <see cref="None"/> for the stand-in's own scenario steps.</summary>
internal sealed record RequestInfo(string? Id, string? IdempotencyKey)
{
    public static readonly RequestInfo None = new(null, null);
}
