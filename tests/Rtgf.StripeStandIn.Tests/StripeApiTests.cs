using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Testing;
using Stripe;
using Stripe.Checkout;

namespace Rtgf.StripeStandIn.Tests;

public sealed class StripeApiTests : IAsyncLifetime
{
    private readonly StripeStandInFixture _stand = new();

    public Task InitializeAsync() => _stand.InitializeAsync();

    public Task DisposeAsync() => _stand.DisposeAsync();

    [Fact]
    public void ApiVersion_IsTheOneStripeNetPins()
    {
        Assert.Equal(StripeStandInOptions.StripeNetApiVersion, StripeConfiguration.ApiVersion);
    }

    [Fact]
    public async Task Customers_CreateRetrieveAndList_RoundTripThroughStripeNet()
    {
        var client = Stand.Client(_stand);
        var customers = new CustomerService(client);

        var created = await customers.CreateAsync(new CustomerCreateOptions { Email = "a@example.edu.au", Name = "RTO A", Metadata = new() { ["account"] = "acct_1" } });
        await customers.CreateAsync(new CustomerCreateOptions { Email = "b@example.edu.au" });
        var fetched = await customers.GetAsync(created.Id);
        var byEmail = await customers.ListAsync(new CustomerListOptions { Email = "a@example.edu.au" });

        Assert.StartsWith("cus_", created.Id, StringComparison.Ordinal);
        Assert.Equal("a@example.edu.au", fetched.Email);
        Assert.Equal("RTO A", fetched.Name);
        Assert.Equal("acct_1", fetched.Metadata["account"]);
        Assert.Equal(StripeStandInFixture.Start, new DateTimeOffset(fetched.Created, TimeSpan.Zero));
        Assert.Equal([created.Id], byEmail.Data.Select(c => c.Id));
        Assert.False(byEmail.HasMore);
    }

    [Fact]
    public async Task CheckoutSession_CreatedOpen_ThenCompletedByTheAdmin_RetrievesWithTheSubscriptionExpanded()
    {
        var client = Stand.Client(_stand);
        var sessions = new SessionService(client);

        var session = await sessions.CreateAsync(Stand.Checkout());
        var completed = await _stand.Admin.CompleteCheckoutSessionAsync(session.Id);
        var fetched = await sessions.GetAsync(session.Id, new SessionGetOptions { Expand = ["subscription"] });
        var subscription = await new SubscriptionService(client).GetAsync(fetched.SubscriptionId);

        Assert.StartsWith("cs_test_", session.Id, StringComparison.Ordinal);
        Assert.Equal("open", session.Status);
        Assert.Equal("subscription", session.Mode);
        Assert.Equal("acct_42", session.ClientReferenceId);
        Assert.StartsWith(_stand.ApiBase, session.Url, StringComparison.Ordinal);
        Assert.Null(session.SubscriptionId);
        Assert.Equal("complete", (string?)completed["status"]);
        Assert.Equal("complete", fetched.Status);
        Assert.Equal("paid", fetched.PaymentStatus);
        Assert.NotNull(fetched.Subscription);
        Assert.Equal("active", fetched.Subscription.Status);
        Assert.Equal(fetched.CustomerId, subscription.CustomerId);
        Assert.Equal("price_standard_monthly", Assert.Single(subscription.Items.Data).Price.Id);
        Assert.Equal("standard", subscription.Metadata["plan"]);
        Assert.Equal(StripeStandInFixture.Start.AddMonths(1), Assert.Single(subscription.Items.Data).CurrentPeriodEnd);
        var invoice = await new InvoiceService(client).GetAsync(subscription.LatestInvoiceId);
        Assert.Equal("paid", invoice.Status);
        Assert.Equal(4_900, invoice.AmountPaid);
        Assert.Equal(subscription.Id, invoice.Parent.SubscriptionDetails.SubscriptionId);
        Assert.Equal("price_standard_monthly", Assert.Single(invoice.Lines.Data).Pricing.PriceDetails.PriceId);
    }

    [Fact]
    public async Task CheckoutSession_ForAnExistingCustomer_KeepsTheCustomer_AndUnknownOnesAre404ResourceMissing()
    {
        var client = Stand.Client(_stand);
        var customer = await new CustomerService(client).CreateAsync(new CustomerCreateOptions { Email = "c@example.edu.au" });

        var session = await new SessionService(client).CreateAsync(Stand.Checkout(customer: customer.Id));
        await _stand.Admin.CompleteCheckoutSessionAsync(session.Id);
        var fetched = await new SessionService(client).GetAsync(session.Id);
        var missing = await Assert.ThrowsAsync<StripeException>(() => new SessionService(client).CreateAsync(Stand.Checkout(customer: "cus_nope")));
        var missingPrice = await Assert.ThrowsAsync<StripeException>(() => new SessionService(client).CreateAsync(Stand.Checkout(price: "price_nope")));
        var missingSubscription = await Assert.ThrowsAsync<StripeException>(() => new SubscriptionService(client).GetAsync("sub_nope"));

        Assert.Equal(customer.Id, fetched.CustomerId);
        Assert.Equal(HttpStatusCode.NotFound, missing.HttpStatusCode);
        Assert.Equal("invalid_request_error", missing.StripeError.Type);
        Assert.Equal("resource_missing", missing.StripeError.Code);
        Assert.Equal("customer", missing.StripeError.Param);
        Assert.Equal("line_items[0][price]", missingPrice.StripeError.Param);
        Assert.Equal("resource_missing", missingSubscription.StripeError.Code);
        Assert.Contains("sub_nope", missingSubscription.StripeError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckoutSessions_ListByCustomerAndStatus_AndExpireOnlyAnOpenOne_WithItsEvent()
    {
        var client = Stand.Client(_stand);
        var sessions = new SessionService(client);
        var customer = await new CustomerService(client).CreateAsync(new CustomerCreateOptions());
        var paid = await sessions.CreateAsync(Stand.Checkout(customer: customer.Id));
        var open = await sessions.CreateAsync(Stand.Checkout(customer: customer.Id));
        await sessions.CreateAsync(Stand.Checkout()); // another customer's
        await _stand.Admin.CompleteCheckoutSessionAsync(paid.Id, "payer@example.edu.au");

        var expired = await sessions.ExpireAsync(open.Id, null, new RequestOptions { IdempotencyKey = "expire-1" });
        var again = await Assert.ThrowsAsync<StripeException>(() => sessions.ExpireAsync(open.Id));
        var refused = await Assert.ThrowsAsync<StripeException>(() => sessions.ExpireAsync(paid.Id));
        var mine = await sessions.ListAsync(new SessionListOptions { Customer = customer.Id });
        var openOnes = await sessions.ListAsync(new SessionListOptions { Customer = customer.Id, Status = "open" });
        var completed = await sessions.GetAsync(paid.Id);
        var events = await _stand.Admin.EventsAsync();

        Assert.Equal(("expired", (string?)null), (expired.Status, expired.Url));
        Assert.Equal([open.Id, paid.Id], mine.Data.Select(s => s.Id)); // newest first
        Assert.Empty(openOnes.Data);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request_error"), (again.HttpStatusCode, again.StripeError.Type));
        Assert.EndsWith("has a status of `expired`.", again.StripeError.Message, StringComparison.Ordinal);
        Assert.EndsWith("has a status of `complete`.", refused.StripeError.Message, StringComparison.Ordinal);
        Assert.Equal("payer@example.edu.au", completed.CustomerDetails.Email);
        Assert.Equal("payer@example.edu.au", (await new CustomerService(client).GetAsync(customer.Id)).Email); // the customer had none
        Assert.Single(events, e => (string?)e["type"] == "checkout.session.expired" && (string?)e["data"]!["object"]!["id"] == open.Id);
    }

    [Fact]
    public async Task CheckoutSession_WithoutRequiredParameters_Is400ParameterMissing()
    {
        var options = Stand.Checkout();
        options.SuccessUrl = null;

        var error = await Assert.ThrowsAsync<StripeException>(() => new SessionService(Stand.Client(_stand)).CreateAsync(options));

        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatusCode);
        Assert.Equal("parameter_missing", error.StripeError.Code);
        Assert.Equal("success_url", error.StripeError.Param);
    }

    [Fact]
    public async Task WrongSecretKey_Is401_InStripesShape_AndBasicAuthWithTheRightKeyWorks()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() => new CustomerService(Stand.Client(_stand, secretKey: "sk_test_wrong_key_1234")).ListAsync());
        using var http = new HttpClient { BaseAddress = _stand.Server.BaseAddress };
        using var basic = new HttpRequestMessage(HttpMethod.Get, "v1/customers");
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_stand.SecretKey + ":")));
        using var basicResponse = await http.SendAsync(basic);
        using var anonymous = await http.GetAsync(new Uri("v1/customers", UriKind.Relative));
        var anonymousBody = JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, error.HttpStatusCode);
        Assert.Equal("invalid_request_error", error.StripeError.Type);
        Assert.DoesNotContain("wrong_key", error.StripeError.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, basicResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("invalid_request_error", (string?)anonymousBody["error"]!["type"]);
        Assert.StartsWith("req_", anonymous.Headers.GetValues("Request-Id").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdempotencyKey_SameParameters_ReplaysTheFirstAnswer_DifferentParametersAre400IdempotencyError()
    {
        var client = Stand.Client(_stand);
        var customers = new CustomerService(client);
        var key = new RequestOptions { IdempotencyKey = "create-a" };

        var first = await customers.CreateAsync(new CustomerCreateOptions { Email = "a@example.edu.au" }, key);
        var again = await customers.CreateAsync(new CustomerCreateOptions { Email = "a@example.edu.au" }, key);
        var mismatch = await Assert.ThrowsAsync<StripeException>(() => customers.CreateAsync(new CustomerCreateOptions { Email = "b@example.edu.au" }, key));
        var all = await customers.ListAsync();

        Assert.Equal(first.Id, again.Id);
        Assert.Equal("true", again.StripeResponse.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.StripeResponse.RequestId, again.StripeResponse.Headers.GetValues("Original-Request").Single());
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.HttpStatusCode);
        Assert.Equal("idempotency_error", mismatch.StripeError.Type);
        Assert.Equal([first.Id], all.Data.Select(c => c.Id));
        Assert.Single(await _stand.Admin.EventsAsync(), e => (string?)e["type"] == "customer.created");
    }

    [Fact]
    public async Task IdempotencyKey_OfARequestThatFailedValidation_IsNotKept_SoTheCorrectedRequestRuns()
    {
        var sessions = new SessionService(Stand.Client(_stand));
        var key = new RequestOptions { IdempotencyKey = "checkout-1" };
        var invalid = Stand.Checkout();
        invalid.SuccessUrl = null;

        await Assert.ThrowsAsync<StripeException>(() => sessions.CreateAsync(invalid, key));
        var corrected = await sessions.CreateAsync(Stand.Checkout(), key);
        var replayed = await sessions.CreateAsync(Stand.Checkout(), key);

        Assert.Equal("open", corrected.Status);
        Assert.Equal(corrected.Id, replayed.Id);
    }

    [Fact]
    public async Task UnservedEndpointsAndExpansions_Are4xxInStripesShape_NeverA500()
    {
        var client = Stand.Client(_stand);
        var session = await new SessionService(client).CreateAsync(Stand.Checkout());

        var unserved = await Assert.ThrowsAsync<StripeException>(() => new SubscriptionService(client).CancelAsync("sub_1"));
        var expansion = await Assert.ThrowsAsync<StripeException>(() => new SessionService(client).GetAsync(session.Id, new SessionGetOptions { Expand = ["success_url"] }));
        var mode = Stand.Checkout();
        mode.Mode = "payment";
        var payment = await Assert.ThrowsAsync<StripeException>(() => new SessionService(client).CreateAsync(mode));

        Assert.Equal(HttpStatusCode.NotFound, unserved.HttpStatusCode);
        Assert.Contains("Unrecognized request URL", unserved.StripeError.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "expand"), (expansion.HttpStatusCode, expansion.StripeError.Param));
        Assert.Equal((HttpStatusCode.BadRequest, "mode"), (payment.HttpStatusCode, payment.StripeError.Param));
    }

    [Fact]
    public async Task Invoices_ListNewestFirst_FilterByStatusAndCreated_AndPageWithStartingAfter()
    {
        var client = Stand.Client(_stand);
        var session = await new SessionService(client).CreateAsync(Stand.Checkout());
        var subscription = (string)(await _stand.Admin.CompleteCheckoutSessionAsync(session.Id))["subscription"]!;
        _stand.Clock.Advance(TimeSpan.FromDays(31));
        await _stand.Admin.AdvancePeriodAsync(subscription);
        _stand.Clock.Advance(TimeSpan.FromDays(30));
        await _stand.Admin.FailNextPaymentAsync(subscription);
        var invoices = new InvoiceService(client);

        var first = await invoices.ListAsync(new InvoiceListOptions { Limit = 2 });
        var second = await invoices.ListAsync(new InvoiceListOptions { Limit = 2, StartingAfter = first.Data[^1].Id });
        var paid = await invoices.ListAsync(new InvoiceListOptions { Status = "paid" });
        var recent = await invoices.ListAsync(new InvoiceListOptions { Created = new DateRangeOptions { GreaterThanOrEqual = StripeStandInFixture.Start.AddDays(31).UtcDateTime } });
        var badLimit = await Assert.ThrowsAsync<StripeException>(() => invoices.ListAsync(new InvoiceListOptions { Limit = 0 }));

        Assert.Equal(["open", "paid"], first.Data.Select(i => i.Status));
        Assert.True(first.HasMore);
        Assert.Equal("/v1/invoices", first.Url);
        Assert.Equal("paid", Assert.Single(second.Data).Status);
        Assert.False(second.HasMore);
        Assert.Equal(3, first.Data.Concat(second.Data).Select(i => i.Id).Distinct().Count());
        Assert.Equal(2, paid.Data.Count);
        Assert.All(paid.Data, i => Assert.Equal("paid", i.Status));
        Assert.Equal(2, recent.Data.Count);
        Assert.Equal("limit", badLimit.StripeError.Param);
    }

    [Fact]
    public async Task Faults_RateLimit_IsA429StripeExceptionWithoutRetries_AndRetriedAwayWithThem()
    {
        await _stand.Admin.AddFaultAsync("/v1/customers", StripeFaultMode.RateLimit);
        var withoutRetries = await Assert.ThrowsAsync<StripeException>(() => new CustomerService(Stand.Client(_stand)).ListAsync());
        await _stand.Admin.AddFaultAsync("/v1/customers", StripeFaultMode.RateLimit);
        var retried = await new CustomerService(Stand.Client(_stand, retries: 2)).CreateAsync(new CustomerCreateOptions { Email = "r@example.edu.au" });
        var customers = await new CustomerService(Stand.Client(_stand)).ListAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, withoutRetries.HttpStatusCode);
        Assert.Equal("rate_limit", withoutRetries.StripeError.Code);
        Assert.Equal("true", withoutRetries.StripeResponse.Headers.GetValues("Stripe-Should-Retry").Single());
        Assert.Equal([retried.Id], customers.Data.Select(c => c.Id));
    }

    [Fact]
    public async Task Faults_ServerErrorAndCardDeclined_HaveStripesTypes_AndAreUsedUp()
    {
        await _stand.Admin.AddFaultAsync("/v1/checkout/sessions", StripeFaultMode.ServerError);
        await _stand.Admin.AddFaultAsync("/v1/checkout/sessions", StripeFaultMode.CardDeclined);
        var sessions = new SessionService(Stand.Client(_stand));

        var server = await Assert.ThrowsAsync<StripeException>(() => sessions.CreateAsync(Stand.Checkout()));
        var card = await Assert.ThrowsAsync<StripeException>(() => sessions.CreateAsync(Stand.Checkout()));
        var fine = await sessions.CreateAsync(Stand.Checkout());

        Assert.Equal(HttpStatusCode.InternalServerError, server.HttpStatusCode);
        Assert.Equal("api_error", server.StripeError.Type);
        Assert.Equal(HttpStatusCode.PaymentRequired, card.HttpStatusCode);
        Assert.Equal("card_error", card.StripeError.Type);
        Assert.Equal("card_declined", card.StripeError.Code);
        Assert.Equal("open", fine.Status);
    }

    [Fact]
    public async Task Faults_Hang_HoldsTheRequestUntilTheClientGivesUp()
    {
        await _stand.Admin.AddFaultAsync("/v1/customers", StripeFaultMode.Hang);
        using var cancel = new CancellationTokenSource();
        var call = new CustomerService(Stand.Client(_stand)).ListAsync(cancellationToken: cancel.Token);

        // The fault is used up once the request has arrived; the call must still be waiting then.
        await Eventually.ProbeAsync(() => _stand.Admin.FaultsAsync(), f => f.Count == 0, TimeSpan.FromSeconds(30), "the request to reach the stand-in");
        var stillWaiting = !call.IsCompleted;
        await cancel.CancelAsync();

        Assert.True(stillWaiting);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty((await new CustomerService(Stand.Client(_stand)).ListAsync()).Data);
    }

    [Fact]
    public async Task Hold_AnswersFromTheStateAtArrival_OnlyOnceReleased_AfterSkippingTheFirst()
    {
        var client = Stand.Client(_stand);
        var session = await new SessionService(client).CreateAsync(Stand.Checkout());
        await _stand.Admin.CompleteCheckoutSessionAsync(session.Id);
        var subscriptionId = (await new SessionService(client).GetAsync(session.Id)).SubscriptionId;
        var subscriptions = new SubscriptionService(client);
        var hold = await _stand.Admin.HoldAsync("/v1/subscriptions/", skip: 1);

        var skipped = await subscriptions.GetAsync(subscriptionId);
        var held = subscriptions.GetAsync(subscriptionId);
        var reached = await _stand.Admin.HoldReachedAsync(hold);
        var waitingWhenReached = !held.IsCompleted;
        await _stand.Admin.CancelAsync(subscriptionId);
        var afterCancel = await subscriptions.GetAsync(subscriptionId); // the hold is used: no other request is caught
        await _stand.Admin.ReleaseHoldAsync(hold);
        var answered = await held;

        Assert.Equal("active", skipped.Status);
        Assert.Equal("GET /v1/subscriptions/" + subscriptionId, reached);
        Assert.True(waitingWhenReached);
        Assert.Equal("canceled", afterCancel.Status);
        Assert.Equal("active", answered.Status); // read before the cancellation, answered after it
    }

    [Fact]
    public async Task Hold_ReleasedBeforeARequestArrives_CatchesNothing_AndAnUnknownHoldIs404()
    {
        var hold = await _stand.Admin.HoldAsync("/v1/customers");
        await _stand.Admin.ReleaseHoldAsync(hold);

        var listed = await new CustomerService(Stand.Client(_stand)).ListAsync();
        var unknown = await Assert.ThrowsAsync<HttpRequestException>(() => _stand.Admin.ReleaseHoldAsync("hold_999"));

        Assert.Empty(listed.Data);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Requests_AreLoggedInOrder_WithTheirStatus_AdminRequestsNot()
    {
        var customers = new CustomerService(Stand.Client(_stand));
        await _stand.Admin.AddFaultAsync("/v1/customers", StripeFaultMode.ServerError);

        await Assert.ThrowsAsync<StripeException>(() => customers.ListAsync());
        await customers.CreateAsync(new CustomerCreateOptions { Email = "log@example.edu.au" });
        var log = await _stand.Admin.RequestsAsync();

        Assert.Equal([("GET", "/v1/customers", 500), ("POST", "/v1/customers", 200)], log.Select(r => (r.Method, r.Path, r.Status)));
        Assert.All(log, r => Assert.StartsWith("req_", r.Id, StringComparison.Ordinal));
    }
}
