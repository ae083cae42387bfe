using System.Globalization;
using System.Text.Json.Nodes;
using Stripe;

namespace Rtgf.Functions.Billing.QuickBooks;

/// <summary>
/// Stripe → QuickBooks, exactly once (docs/spec/billing.md, "QuickBooks Online reconcile"): every paid Stripe invoice
/// becomes one <c>SalesReceipt</c>, every succeeded refund one <c>RefundReceipt</c>. Per payment: a <c>created</c> row in
/// <see cref="ReceiptLedger"/> means done (no QuickBooks call); otherwise the run claims it by conditional insert and
/// creates the document with the payment's fixed requestid. A row left <c>pending</c> (a run that crashed between create
/// and record, or one still running) is first looked up in QuickBooks by its DocNumber, and created (same requestid)
/// only if absent. So a re-run, a crash and two runs at once all end with one document.
/// </summary>
public sealed partial class QuickBooksReconciler(
    StripeClient stripe, QuickBooksClient quickBooks, ReceiptLedger ledger, QuickBooksSettings settings, TimeProvider time, ILogger logger)
{
    private const int Parallelism = 8;

    /// <summary>One pass since the watermark (less the lookback); advances the watermark when every payment went through.</summary>
    public async Task<ReconcileRun> RunAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var watermark = await ledger.WatermarkAsync(cancellationToken).ConfigureAwait(false);
        var from = watermark is { } w
            ? w.Value - settings.Lookback
            : settings.StartDate is { } start ? new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : started - settings.Lookback;
        var items = await StripeItemsAsync(from, started, cancellationToken).ConfigureAwait(false);
        var counts = new int[4];
        var failed = 0;
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            try
            {
                var outcome = await ApplyAsync(item, ct).ConfigureAwait(false);
                Interlocked.Increment(ref counts[(int)outcome]);
            }
            catch (Exception e) when (e is not QuickBooksAuthorizationException && !(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                // Any fault of one payment (QuickBooks, a ledger write, Stripe) is that payment's: it stays pending or
                // unclaimed and the next run tries it again. Rethrowing would cancel the others mid-call.
                Interlocked.Increment(ref failed);
                LogFailed(logger, e, item.Entity, item.StripeId);
            }
        }).ConfigureAwait(false);

        if (failed == 0)
        {
            await ledger.AdvanceWatermarkAsync(started, cancellationToken).ConfigureAwait(false);
        }

        var run = new ReconcileRun(items.Count, counts[(int)ReceiptOutcome.Created], counts[(int)ReceiptOutcome.Recovered], counts[(int)ReceiptOutcome.AlreadyDone], failed);
        LogRun(logger, run.Seen, run.Created, run.Recovered, run.AlreadyDone, run.Failed);
        return run;
    }

    /// <summary>One Stripe payment to its one QuickBooks document.</summary>
    public async Task<ReceiptOutcome> ApplyAsync(ReceiptItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var row = await ledger.GetAsync(item.Entity, item.StripeId, cancellationToken).ConfigureAwait(false);
        if (row is { State: ReceiptLedger.Created })
        {
            return ReceiptOutcome.AlreadyDone;
        }

        if (row is null && await ledger.TryClaimAsync(item, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            var created = await quickBooks.CreateAsync(item.Entity, item.ToDocument(settings), item.RequestId, cancellationToken).ConfigureAwait(false);
            await ledger.MarkCreatedAsync(item, Id(created), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return ReceiptOutcome.Created;
        }

        row ??= await ledger.GetAsync(item.Entity, item.StripeId, cancellationToken).ConfigureAwait(false);
        if (row is { State: ReceiptLedger.Created })
        {
            return ReceiptOutcome.AlreadyDone;
        }

        // Pending: another run is at it, or one crashed after claiming. QuickBooks is the truth; the requestid makes a create safe anyway.
        var found = await quickBooks.QueryAsync($"select * from {item.Entity} where DocNumber = '{item.DocNumber}'", cancellationToken).ConfigureAwait(false);
        var document = (found[item.Entity] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()
            ?? await quickBooks.CreateAsync(item.Entity, item.ToDocument(settings), item.RequestId, cancellationToken).ConfigureAwait(false);
        await ledger.MarkCreatedAsync(item, Id(document), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return ReceiptOutcome.Recovered;
    }

    /// <summary>Paid invoices (by payment day) and succeeded refunds created from <paramref name="from"/> to <paramref name="until"/>.</summary>
    public async Task<IReadOnlyList<ReceiptItem>> StripeItemsAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var items = new List<ReceiptItem>();
        var range = new DateRangeOptions { GreaterThanOrEqual = from.UtcDateTime, LessThan = until.UtcDateTime };
        await foreach (var invoice in new InvoiceService(stripe).ListAutoPagingAsync(new InvoiceListOptions { Status = "paid", Created = range, Limit = 100 }, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var paid = invoice.StatusTransitions?.PaidAt ?? invoice.Created;
            items.Add(new ReceiptItem(ReceiptItem.Sales, invoice.Id, invoice.AmountPaid, invoice.Currency, DateOnly.FromDateTime(paid), $"Stripe invoice {invoice.Number ?? invoice.Id}"));
        }

        await foreach (var refund in new RefundService(stripe).ListAutoPagingAsync(new RefundListOptions { Created = range, Limit = 100 }, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (refund.Status == "succeeded")
            {
                items.Add(new ReceiptItem(ReceiptItem.Refund, refund.Id, refund.Amount, refund.Currency, DateOnly.FromDateTime(refund.Created), $"Stripe refund {refund.Id} of charge {refund.ChargeId}"));
            }
        }

        return items;
    }

    /// <summary>
    /// Stripe against QuickBooks for one UTC day: payments without a document (missing), our documents dated that day
    /// without a payment (extra: a DocNumber of ours, or any document with no DocNumber we know), and amounts that differ.
    /// </summary>
    public async Task<ReconcileReport> ReportAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var stripeItems = (await StripeItemsAsync(dayStart - settings.Lookback, dayStart.AddDays(1), cancellationToken).ConfigureAwait(false))
            .Where(i => i.Day == day).ToList();
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var documents = new List<(string Entity, JsonObject Document)>();
        foreach (var entity in new[] { ReceiptItem.Sales, ReceiptItem.Refund })
        {
            foreach (var document in await quickBooks.QueryAllAsync(entity, $"select * from {entity} where TxnDate = '{date}'", cancellationToken).ConfigureAwait(false))
            {
                documents.Add((entity, document));
            }
        }

        var byNumber = documents.Where(d => d.Document["DocNumber"] is not null)
            .GroupBy(d => (d.Entity, (string)d.Document["DocNumber"]!)).ToDictionary(g => g.Key, g => g.ToList());
        var missing = new List<MissingPayment>();
        var differs = new List<DifferingAmount>();
        var matched = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);
        foreach (var item in stripeItems.OrderBy(i => i.Entity, StringComparer.Ordinal).ThenBy(i => i.StripeId, StringComparer.Ordinal))
        {
            if (!byNumber.TryGetValue((item.Entity, item.DocNumber), out var found))
            {
                missing.Add(new MissingPayment(item.Entity, item.StripeId, item.DocNumber, item.Amount, item.Currency));
                continue;
            }

            var document = found[0].Document;
            matched.UnionWith(found.Select(f => f.Document));
            var total = document["TotalAmt"]?.GetValue<decimal>() ?? 0m;
            if (total != item.Amount)
            {
                differs.Add(new DifferingAmount(item.Entity, item.StripeId, (string?)document["Id"], item.DocNumber, item.Amount, total, item.Currency));
            }
        }

        var extra = documents.Where(d => !matched.Contains(d.Document))
            .Select(d => new ExtraDocument(d.Entity, (string?)d.Document["Id"], (string?)d.Document["DocNumber"], d.Document["TotalAmt"]?.GetValue<decimal>()))
            .OrderBy(l => l.Entity, StringComparer.Ordinal).ThenBy(l => l.QuickBooksId, StringComparer.Ordinal).ToList();
        return new ReconcileReport(
            date,
            time.GetUtcNow(),
            stripeItems.Count(i => i.Entity == ReceiptItem.Sales),
            stripeItems.Count(i => i.Entity == ReceiptItem.Refund),
            documents.Count(d => d.Entity == ReceiptItem.Sales),
            documents.Count(d => d.Entity == ReceiptItem.Refund),
            missing,
            extra,
            differs);
    }

    private static string Id(JsonObject document) => (string?)document["Id"] ?? throw new QuickBooksException("QuickBooks answered a document without an Id.");

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "QuickBooks reconcile: {Seen} Stripe payments, {Created} created, {Recovered} recovered from pending, {AlreadyDone} already done, {Failed} failed")]
    private static partial void LogRun(ILogger logger, int seen, int created, int recovered, int alreadyDone, int failed);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "QuickBooks reconcile of {Entity} for Stripe {StripeId} failed; the next run tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string entity, string stripeId);
}

/// <summary>What happened to one Stripe payment.</summary>
public enum ReceiptOutcome
{
    Created,
    Recovered,
    AlreadyDone,
}

/// <summary>One reconcile pass.</summary>
public sealed record ReconcileRun(int Seen, int Created, int Recovered, int AlreadyDone, int Failed);

/// <summary>The daily mismatch report (amounts in the currency's major unit).</summary>
public sealed record ReconcileReport(
    string Day,
    DateTimeOffset GeneratedAt,
    int StripeInvoices,
    int StripeRefunds,
    int QuickBooksSalesReceipts,
    int QuickBooksRefundReceipts,
    IReadOnlyList<MissingPayment> Missing,
    IReadOnlyList<ExtraDocument> Extra,
    IReadOnlyList<DifferingAmount> AmountDiffers);

/// <summary>A Stripe payment of the day with no QuickBooks document (the entity it should have, and the DocNumber it would carry).</summary>
public sealed record MissingPayment(string Entity, string StripeId, string DocNumber, decimal StripeAmount, string Currency);

/// <summary>A QuickBooks document dated that day that no Stripe payment of the day accounts for.</summary>
public sealed record ExtraDocument(string Entity, string? QuickBooksId, string? DocNumber, decimal? QuickBooksAmount);

/// <summary>A payment whose QuickBooks document has another total.</summary>
public sealed record DifferingAmount(string Entity, string StripeId, string? QuickBooksId, string DocNumber, decimal StripeAmount, decimal QuickBooksAmount, string Currency);
