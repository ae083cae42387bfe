using System.Globalization;
using Rtgf.Azure.Billing;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Billing;
using Rtgf.Pipeline.Comms;
using Stripe;
using Stripe.Checkout;

namespace Rtgf.Functions.Billing;

/// <summary>
/// Billing's emails (docs/spec/billing.md, emails), enqueued on the comms outbox after an event applied: <c>key-issued</c>
/// (a checkout's subscription now gives the key its plan), <c>receipt</c> (an invoice is paid), <c>payment-failed</c>
/// (an invoice is still open and the key is in its grace). Each is decided on what Stripe says now (the invoice, the
/// session, the applied account), never on the event's copy, so a late or replayed event sends nothing stale. Each
/// occasion is sent once: its idempotency key (<c>receipt:{invoice}</c>, …) is recorded on the key's account after
/// enqueuing, and the comms sender drops a second message with the same key (a crash between the two).
/// The outbox is resolved when first used: the webhook handlers are built at startup, before storage need be configured.
/// </summary>
public sealed partial class BillingNotices(Func<CommsOutbox> outbox, TableBillingAccountStore accounts, BillingSettings settings, TimeProvider time, ILogger<BillingNotices> logger)
{
    public const string KeyIssued = "key-issued";
    public const string Receipt = "receipt";
    public const string PaymentFailed = "payment-failed";

    // Stripe's zero-decimal currencies: amounts are whole units, not cents.
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.OrdinalIgnoreCase)
    {
        "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
    };

    /// <summary>After a completed checkout applied: the key is on the plan its subscription pays for (not revoked, still live).</summary>
    public async Task KeyIssuedAsync(StripeClient client, Session session, BillingAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(account);
        if (account.SubscriptionId != session.SubscriptionId || !BillingRules.IsLive(account.Status) || account.Plan == ApiPlans.Free || account.KeyNote is not null)
        {
            return; // another subscription gives the key its plan, or this one no longer does
        }

        var plan = settings.Plans.For(account.Plan);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["keyId"] = account.KeyId,
            ["plan"] = plan.Name,
            ["requestsPerMinute"] = plan.RequestsPerMinute.ToString("N0", CultureInfo.InvariantCulture),
            ["monthlyQuota"] = plan.MonthlyQuota.ToString("N0", CultureInfo.InvariantCulture),
        };
        var to = session.CustomerDetails?.Email ?? session.CustomerEmail ?? await CustomerEmailAsync(client, account.CustomerId, cancellationToken).ConfigureAwait(false);
        await SendOnceAsync(account.KeyId, KeyIssued, $"{KeyIssued}:{session.Id}", to, values, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After an invoice event applied: a receipt if the invoice is paid, a payment-failed notice if it is open and the key is in grace.</summary>
    public async Task InvoiceAsync(StripeClient client, string invoiceId, BillingAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var invoice = await new InvoiceService(client).GetAsync(invoiceId, cancellationToken: cancellationToken).ConfigureAwait(false);
        var subscriptionId = invoice.Parent?.SubscriptionDetails?.SubscriptionId;
        if (invoice.CustomerId != account.CustomerId)
        {
            return;
        }

        if (invoice.Status == "paid" && invoice.AmountPaid == 0)
        {
            return; // nothing was charged (a trial, a 100% coupon): no receipt
        }

        string template, occasion;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["invoiceNumber"] = invoice.Number ?? invoice.Id,
            ["invoiceUrl"] = invoice.HostedInvoiceUrl ?? string.Empty,
            ["currency"] = (invoice.Currency ?? string.Empty).ToUpperInvariant(),
        };
        if (invoice.Status == "paid")
        {
            template = Receipt;
            occasion = $"{Receipt}:{invoice.Id}";
            values["amount"] = Amount(invoice.AmountPaid, invoice.Currency);
            // The line's period is the one paid for (a cycle invoice's own period_start/end is the one before).
            var (start, end) = invoice.Lines?.Data is [{ Period: { } period }, ..] ? (period.Start, period.End) : (invoice.PeriodStart, invoice.PeriodEnd);
            values["periodStart"] = Day(start);
            values["periodEnd"] = Day(end);
        }
        else if (invoice.Status == "open" && account.SubscriptionId == subscriptionId && BillingRules.IsPastDue(account.Status)
            && account.PastDueSince is { } since && account.KeyNote is null && account.PricePlan is { } plan)
        {
            // Only while it is still unpaid and the key is in its grace: a failure already recovered, or a key already
            // downgraded or cancelled, gets no warning.
            template = PaymentFailed;
            occasion = string.Create(CultureInfo.InvariantCulture, $"{PaymentFailed}:{invoice.Id}:{invoice.AttemptCount}");
            values["amount"] = Amount(invoice.AmountDue, invoice.Currency);
            values["plan"] = plan;
            values["graceEnds"] = (since + settings.Rules.Grace).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        }
        else
        {
            return;
        }

        var to = invoice.CustomerEmail ?? await CustomerEmailAsync(client, account.CustomerId, cancellationToken).ConfigureAwait(false);
        await SendOnceAsync(account.KeyId, template, occasion, to, values, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendOnceAsync(string keyId, string template, string occasion, string? to, Dictionary<string, string> values, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(to))
        {
            LogNoAddress(logger, template, keyId); // the key id only: no personal data
            return;
        }

        if (await accounts.HasNoticeAsync(keyId, occasion, cancellationToken).ConfigureAwait(false))
        {
            return; // sent before (a replay, or another event of the same occasion)
        }

        await outbox().EnqueueAsync(new CommsRequest(CommsChannel.Email, template, to, values, occasion), cancellationToken).ConfigureAwait(false);
        await accounts.RecordNoticeAsync(keyId, occasion, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        LogQueued(logger, template, keyId, occasion);
    }

    private static async Task<string?> CustomerEmailAsync(StripeClient client, string customerId, CancellationToken cancellationToken) =>
        (await new CustomerService(client).GetAsync(customerId, cancellationToken: cancellationToken).ConfigureAwait(false)).Email;

    internal static string Amount(long minor, string? currency) => currency is not null && ZeroDecimal.Contains(currency)
        ? minor.ToString("N0", CultureInfo.InvariantCulture)
        : (minor / 100m).ToString("N2", CultureInfo.InvariantCulture);

    private static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Billing email {Template} for API key {KeyId} not sent: Stripe has no email address for its customer")]
    private static partial void LogNoAddress(ILogger logger, string template, string keyId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Billing email {Template} for API key {KeyId} queued ({Occasion})")]
    private static partial void LogQueued(ILogger logger, string template, string keyId, string occasion);
}
