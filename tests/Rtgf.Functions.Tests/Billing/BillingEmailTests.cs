using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rtgf.Functions.Billing;
using Rtgf.Pipeline.Comms;
using Rtgf.Tooling;
using Stripe;
using Stripe.Checkout;
using File = System.IO.File;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>
/// Billing's emails on the real app against the Stripe stand-in: what lands on the comms queue (<c>rtgf-comms</c>) when
/// Stripe's events are delivered through the bus twice, shuffled, late, or replayed; and that the template files use
/// exactly the values sent.
/// </summary>
public sealed partial class BillingEmailTests(BillingFixture app) : IClassFixture<BillingFixture>
{
    private static readonly string Templates = Path.Combine(RepositoryLayout.FindRoot(), "functions", "Rtgf.Functions", "Comms", "Templates");

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public async Task ACompletedCheckout_SendsKeyIssuedAndAReceipt_OnceEach_WhateverTheOrderAndReplays(ulong seed)
    {
        var (key, keyId) = await app.CreateKeyAsync();
        var email = $"payer-{keyId}@example.org";
        var mark = await app.MarkAsync();
        using var checkout = await app.CheckoutAsync(key, new { plan = "standard" });
        var sessionId = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var paidOn = app.Clock.GetUtcNow();
        await app.Stripe.CompleteCheckoutSessionAsync(sessionId, email);
        var ids = (await app.EventsAfterAsync(mark)).Select(e => e.Id).ToList();
        var session = await new SessionService(app.StripeClient).GetAsync(sessionId);
        var invoice = await new InvoiceService(app.StripeClient).GetAsync(session.InvoiceId);

        await app.DeliverAsync(BillingFixture.Shuffled(ids, seed));
        foreach (var id in ids)
        {
            await app.HandleAsync(id); // an operator's replay of every event: nothing is sent twice
        }

        var sent = (await app.CommsToAsync(email)).OrderBy(m => m.Template, StringComparer.Ordinal).ToList();
        Assert.Equal([BillingNotices.KeyIssued, BillingNotices.Receipt], sent.Select(m => m.Template));
        Assert.All(sent, m => Assert.Equal(CommsChannel.Email, m.Channel));
        var (issued, receipt) = (sent[0], sent[1]);
        Assert.Equal("key-issued:" + sessionId, issued.IdempotencyKey);
        AssertValues(
            new Dictionary<string, string> { ["keyId"] = keyId, ["plan"] = "standard", ["requestsPerMinute"] = "600", ["monthlyQuota"] = "1,000,000" },
            issued.Values);
        Assert.DoesNotContain(issued.Values.Values, v => v.Contains(key, StringComparison.Ordinal)); // never the key itself
        Assert.Equal("receipt:" + invoice.Id, receipt.IdempotencyKey);
        AssertValues(
            new Dictionary<string, string>
            {
                ["amount"] = "49.00",
                ["currency"] = "AUD",
                ["invoiceNumber"] = invoice.Number,
                ["invoiceUrl"] = invoice.HostedInvoiceUrl,
                ["periodStart"] = paidOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["periodEnd"] = paidOn.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
            receipt.Values);
        Assert.StartsWith(app.StandIn.ApiBase, receipt.Values["invoiceUrl"], StringComparison.Ordinal);
        AssertTemplateUses(issued);
        AssertTemplateUses(receipt);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains(email, StringComparison.Ordinal)); // addresses are not logged
    }

    [Fact]
    public async Task AFailedPayment_SendsTheGraceEnd_OncePerAttempt()
    {
        var email = "failing@example.org";
        var (keyId, subscription, mark) = await app.PaidKeyAsync(email);
        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));
        app.Clock.Advance(TimeSpan.FromDays(3));
        mark = await app.MarkAsync();
        await app.Stripe.FailNextPaymentAsync(subscription);
        var failedAt = app.Clock.GetUtcNow();
        var events = await app.EventsAfterAsync(mark);
        var invoiceId = events.Single(e => e.Type == "invoice.payment_failed").Object["id"]!.GetValue<string>();
        var invoice = await new InvoiceService(app.StripeClient).GetAsync(invoiceId);

        await app.DeliverAsync(BillingFixture.Shuffled(events.Select(e => e.Id), seed: 5));
        foreach (var e in events)
        {
            await app.HandleAsync(e.Id);
        }

        var warned = Assert.Single(await app.CommsToAsync(email), m => m.Template == BillingNotices.PaymentFailed);
        Assert.Equal($"payment-failed:{invoiceId}:1", warned.IdempotencyKey);
        AssertValues(
            new Dictionary<string, string>
            {
                ["amount"] = "49.00",
                ["currency"] = "AUD",
                ["invoiceNumber"] = invoice.Number,
                ["invoiceUrl"] = invoice.HostedInvoiceUrl,
                ["plan"] = "standard",
                ["graceEnds"] = (failedAt + TimeSpan.FromDays(7)).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            },
            warned.Values);
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
        AssertTemplateUses(warned);

        // Stripe's retry fails again: a second warning (attempt 2), once whatever the replays, with the same grace end.
        mark = await app.MarkAsync();
        await app.Stripe.RetryFailsAsync(subscription);
        var retried = await app.EventsAfterAsync(mark);
        await app.DeliverAsync(BillingFixture.Shuffled(retried.Select(e => e.Id), seed: 6));
        foreach (var e in retried.Concat(events))
        {
            await app.HandleAsync(e.Id);
        }

        var warnings = (await app.CommsToAsync(email)).Where(m => m.Template == BillingNotices.PaymentFailed).ToList();
        Assert.Equal([$"payment-failed:{invoiceId}:1", $"payment-failed:{invoiceId}:2"], warnings.Select(m => m.IdempotencyKey));
        Assert.Equal(warned.Values["graceEnds"], warnings[1].Values["graceEnds"]);
    }

    /// <summary>
    /// A crash after enqueuing an email but before recording its notice (the notice row missing, the message queued): the
    /// retry enqueues it again under the same idempotency key, which the comms sender's ledger sends once, and records it.
    /// </summary>
    [Fact]
    public async Task ACrashBetweenEnqueuingAndRecording_EnqueuesAgainUnderTheSameIdempotencyKey_ThenRecords()
    {
        var email = "crash@example.org";
        var (keyId, _, mark) = await app.PaidKeyAsync(email);
        var events = await app.EventsAfterAsync(mark);
        await app.DeliverAsync(events.Select(e => e.Id));
        var first = Assert.Single(await app.CommsToAsync(email), m => m.Template == BillingNotices.Receipt);
        var table = app.Services.GetRequiredService<global::Azure.Data.Tables.TableServiceClient>().GetTableClient(app.Prefix + Rtgf.Azure.Billing.TableBillingAccountStore.TableName);
        await table.DeleteEntityAsync(keyId, "notice:" + first.IdempotencyKey); // as if the process died before recording it

        await app.HandleAsync(events.Single(e => e.Type == "invoice.paid").Id); // the bus's retry of the event
        await app.HandleAsync(events.Single(e => e.Type == "invoice.paid").Id); // and a replay after it recorded

        var receipts = (await app.CommsToAsync(email)).Where(m => m.Template == BillingNotices.Receipt).ToList();
        Assert.Equal([first.IdempotencyKey, first.IdempotencyKey], receipts.Select(m => m.IdempotencyKey));
        Assert.True(await app.Accounts.HasNoticeAsync(keyId, first.IdempotencyKey, CancellationToken.None));
    }

    /// <summary>
    /// <c>checkout.session.completed</c> handled while the subscription is still <c>incomplete</c> (a payment being
    /// confirmed) sends nothing; the subscription's first live event sends key-issued, once, under the session's key.
    /// </summary>
    [Fact]
    public async Task ACheckoutCompletedWhileThePaymentIsPending_SendsKeyIssued_WhenTheSubscriptionGoesLive()
    {
        var (key, keyId) = await app.CreateKeyAsync();
        var email = $"pending-{keyId}@example.org";
        var mark = await app.MarkAsync();
        using var checkout = await app.CheckoutAsync(key, new { plan = "standard" });
        var sessionId = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await app.Stripe.CompleteCheckoutSessionPendingAsync(sessionId, email);
        var subscription = (await new SessionService(app.StripeClient).GetAsync(sessionId)).SubscriptionId;
        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));
        var whilePending = await app.CommsToAsync(email);
        var pending = await app.AccountAsync(keyId);

        mark = await app.MarkAsync();
        await app.Stripe.RecoverAsync(subscription);
        var live = await app.EventsAfterAsync(mark);
        await app.DeliverAsync(BillingFixture.Shuffled(live.Select(e => e.Id), seed: 7));
        foreach (var e in live)
        {
            await app.HandleAsync(e.Id);
        }

        var sent = (await app.CommsToAsync(email)).OrderBy(m => m.Template, StringComparer.Ordinal).ToList();
        Assert.Empty(whilePending);
        Assert.Equal(("incomplete", "free"), (pending.Status, pending.Plan));
        Assert.Equal([BillingNotices.KeyIssued, BillingNotices.Receipt], sent.Select(m => m.Template));
        Assert.Equal("key-issued:" + sessionId, sent[0].IdempotencyKey);
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
    }

    [Fact]
    public async Task AZeroAmountInvoice_SendsNoReceipt()
    {
        var email = "promo@example.org";
        var (key, keyId) = await app.CreateKeyAsync();
        using (var checkout = await app.CheckoutAsync(key, new { plan = "standard" }))
        {
            checkout.EnsureSuccessStatusCode();
        }

        var metadata = new Dictionary<string, string> { [StripeWebhookHandler.KeyIdMetadata] = keyId };
        var mark = await app.MarkAsync();
        var session = await new SessionService(app.StripeClient).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = (await app.AccountAsync(keyId)).CustomerId,
            ClientReferenceId = keyId,
            SuccessUrl = "https://rtgf.test/billing/done",
            LineItems = [new SessionLineItemOptions { Price = BillingFixture.FreeStandardPrice, Quantity = 1 }],
            Metadata = metadata,
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = metadata },
        });
        await app.Stripe.CompleteCheckoutSessionAsync(session.Id, email);
        var events = await app.EventsAfterAsync(mark);
        await app.DeliverAsync(events.Select(e => e.Id));

        Assert.Contains(events, e => e.Type == "invoice.paid" && e.Object["amount_paid"]!.GetValue<long>() == 0);
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
        Assert.Equal([BillingNotices.KeyIssued], (await app.CommsToAsync(email)).Select(m => m.Template));
    }

    [Fact]
    public async Task APaymentFailureDeliveredAfterItsRecovery_SendsNoWarning_OnlyTheReceipt()
    {
        var email = "late-warning@example.org";
        var (_, subscription, mark) = await app.PaidKeyAsync(email);
        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));
        mark = await app.MarkAsync();
        await app.Stripe.FailNextPaymentAsync(subscription);
        var failed = await app.EventsAfterAsync(mark);
        mark = await app.MarkAsync();
        await app.Stripe.RecoverAsync(subscription);
        var recovered = await app.EventsAfterAsync(mark);
        var invoiceId = failed.Single(e => e.Type == "invoice.payment_failed").Object["id"]!.GetValue<string>();

        // Out of order: the recovery's events first, the failure's after them (the invoice is paid by then).
        await app.DeliverAsync([.. recovered.Select(e => e.Id), .. failed.Select(e => e.Id)]);

        var sent = await app.CommsToAsync(email);
        Assert.DoesNotContain(sent, m => m.Template == BillingNotices.PaymentFailed);
        Assert.Single(sent, m => m.IdempotencyKey == "receipt:" + invoiceId);
        Assert.Equal(2, sent.Count(m => m.Template == BillingNotices.Receipt)); // the first period's and the recovered one
    }

    [Fact]
    public async Task ACheckoutCompletedEventHandledAfterTheSubscriptionEnded_SendsNoKeyIssued()
    {
        var email = "cancelled-early@example.org";
        var (keyId, subscription, mark) = await app.PaidKeyAsync(email);
        var completed = (await app.EventsAfterAsync(mark)).Single(e => e.Type == "checkout.session.completed").Id;
        await app.Stripe.CancelAsync(subscription);

        await app.DeliverAsync([completed]);

        Assert.Equal("canceled", (await app.AccountAsync(keyId)).Status);
        Assert.DoesNotContain(await app.CommsToAsync(email), m => m.Template == BillingNotices.KeyIssued);
    }

    [Fact]
    public async Task WithoutAnAddressAtStripe_NothingIsQueued_AndTheLogNamesOnlyTheKey()
    {
        var before = (await app.CommsAsync()).Count;
        var (keyId, _, mark) = await app.PaidKeyAsync(email: null);

        await app.DeliverAsync((await app.EventsAfterAsync(mark)).Select(e => e.Id));

        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
        Assert.Equal(before, (await app.CommsAsync()).Count);
        var logged = app.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains(keyId, StringComparison.Ordinal) && e.Message.Contains("no email address", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, logged.Count); // key-issued and receipt
    }

    [Theory]
    [InlineData(BillingNotices.KeyIssued)]
    [InlineData(BillingNotices.Receipt)]
    [InlineData(BillingNotices.PaymentFailed)]
    public void EachTemplate_HasASubjectLine_ABlankLine_AndAnHtmlPart(string template)
    {
        var text = File.ReadAllLines(Path.Combine(Templates, template + ".txt"));

        Assert.StartsWith("Subject: ", text[0], StringComparison.Ordinal);
        Assert.Equal(string.Empty, text[1]);
        Assert.True(text.Length > 2 && text[2].Length > 0);
        Assert.NotEmpty(Placeholders(File.ReadAllText(Path.Combine(Templates, template + ".html"))));
    }

    private static void AssertValues(Dictionary<string, string> expected, IReadOnlyDictionary<string, string> actual) =>
        Assert.Equal(Flat(expected), Flat(actual));

    private static List<string> Flat(IReadOnlyDictionary<string, string> values) =>
        [.. values.Select(v => v.Key + "=" + v.Value).Order(StringComparer.Ordinal)];

    /// <summary>The template's two parts name exactly the values sent: none missing (the message would poison), none unused.</summary>
    private static void AssertTemplateUses(CommsRequest message)
    {
        var values = message.Values.Keys.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(values, Placeholders(File.ReadAllText(Path.Combine(Templates, message.Template + ".txt"))));
        Assert.Equal(values, Placeholders(File.ReadAllText(Path.Combine(Templates, message.Template + ".html"))));
    }

    private static List<string> Placeholders(string template) =>
        [.. PlaceholderPattern().Matches(template).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\{([A-Za-z0-9-]+)\}\}")]
    private static partial Regex PlaceholderPattern();
}
