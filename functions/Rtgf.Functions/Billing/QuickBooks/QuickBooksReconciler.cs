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

    /// <summary>
    /// A pending row younger than this may be another run's create still in flight (the pipeline's 120 s total timeout
    /// and a margin): it is left for a later run (deferred) rather than looked up now, when the lookup could miss a
    /// document that is being created and send a second create.
    /// </summary>
    public static readonly TimeSpan PendingGrace = TimeSpan.FromMinutes(3);

    // Stripe keeps events for 30 days; a day less, so a page read at the edge is still there.
    private static readonly TimeSpan EventRetention = TimeSpan.FromDays(29);

    /// <summary>
    /// One pass since the watermark (less the lookback); advances the watermark when no payment failed (a payment
    /// QuickBooks rejected for good does not hold it: it is in the ledger and in its day's report) and none was deferred
    /// (a young pending row, or the run's time budget spent).
    /// </summary>
    public async Task<ReconcileRun> RunAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var watermark = await ledger.WatermarkAsync(cancellationToken).ConfigureAwait(false);
        var from = watermark is { } w
            ? w.Value - settings.Lookback
            : settings.StartDate is { } start ? settings.StartOf(start) : started - settings.Lookback;
        var items = await StripeItemsAsync(from, started, cancellationToken).ConfigureAwait(false);
        var counts = new int[6];
        var failed = 0;
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            if (time.GetUtcNow() - started >= settings.RunBudget)
            {
                // Out of time: claim nothing more; the watermark stays, the next run carries on.
                Interlocked.Increment(ref counts[(int)ReceiptOutcome.Deferred]);
                return;
            }

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

        if (failed == 0 && counts[(int)ReceiptOutcome.Deferred] == 0)
        {
            await ledger.AdvanceWatermarkAsync(started, cancellationToken).ConfigureAwait(false);
        }

        var run = new ReconcileRun(items.Count, counts[(int)ReceiptOutcome.Created], counts[(int)ReceiptOutcome.Recovered], counts[(int)ReceiptOutcome.AlreadyDone], failed, counts[(int)ReceiptOutcome.Rejected], counts[(int)ReceiptOutcome.Deferred]);
        LogRun(logger, run.Seen, run.Created, run.Recovered, run.AlreadyDone, run.Failed, run.Rejected, run.Deferred);
        return run;
    }

    /// <summary>One Stripe payment to its one QuickBooks document.</summary>
    public async Task<ReceiptOutcome> ApplyAsync(ReceiptItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var row = await ledger.GetAsync(item.Entity, item.StripeId, cancellationToken).ConfigureAwait(false);
        if (Done(row) is { } done)
        {
            return done;
        }

        if (!string.Equals(item.Currency, settings.Currency, StringComparison.OrdinalIgnoreCase))
        {
            // Not the company's currency: never booked as if it were (no conversion here); reported as rejected.
            if (row is null)
            {
                await ledger.MarkRejectedAsync(item, "currency", $"The payment is in {item.Currency.ToUpperInvariant()}, the QuickBooks company books {settings.Currency.ToUpperInvariant()} (QuickBooks:Currency): book it by hand.", time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            return ReceiptOutcome.Rejected;
        }

        if (row is null && await ledger.TryClaimAsync(item, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            if (await CreateAsync(item, cancellationToken).ConfigureAwait(false) is not { } created)
            {
                return ReceiptOutcome.Rejected;
            }

            await ledger.MarkCreatedAsync(item, Id(created), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return ReceiptOutcome.Created;
        }

        row ??= await ledger.GetAsync(item.Entity, item.StripeId, cancellationToken).ConfigureAwait(false);
        if (Done(row) is { } doneMeanwhile)
        {
            return doneMeanwhile;
        }

        if (row?.UpdatedAt is { } claimed && time.GetUtcNow() - claimed < PendingGrace)
        {
            return ReceiptOutcome.Deferred;
        }

        // Pending: another run is at it, or one crashed after claiming. QuickBooks is the truth; the requestid makes a create safe anyway.
        var found = await quickBooks.QueryAsync($"select * from {item.Entity} where DocNumber = '{item.DocNumber}'", cancellationToken).ConfigureAwait(false);
        var document = (found[item.Entity] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
        if (document is null)
        {
            // Absent: one recoverer (ETag) takes the row over and creates with the next generation's requestid.
            if (row is null || !await ledger.TryTakeOverAsync(row, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                return ReceiptOutcome.Deferred;
            }

            document = await CreateAsync(item, cancellationToken, row.Generation + 1).ConfigureAwait(false);
        }

        if (document is null)
        {
            return ReceiptOutcome.Rejected;
        }

        await ledger.MarkCreatedAsync(item, Id(document), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return ReceiptOutcome.Recovered;
    }

    private static ReceiptOutcome? Done(ReceiptRow? row) => row?.State switch
    {
        ReceiptLedger.Created => ReceiptOutcome.AlreadyDone,
        ReceiptLedger.Rejected => ReceiptOutcome.Rejected,
        _ => null,
    };

    /// <summary>
    /// The create; null when QuickBooks refused it for good (400: a validation or business fault, e.g. a closed period):
    /// then the row is <c>rejected</c>. Anything else (429, 5xx, no answer, 401) is thrown: transient, the next run tries again.
    /// </summary>
    private async Task<JsonObject?> CreateAsync(ReceiptItem item, CancellationToken cancellationToken, int generation = 0)
    {
        try
        {
            return await quickBooks.CreateAsync(item.Entity, item.ToDocument(settings), item.RequestIdOf(generation), cancellationToken).ConfigureAwait(false);
        }
        catch (QuickBooksException e) when (e.Status == 400 && e is not QuickBooksAuthorizationException)
        {
            await ledger.MarkRejectedAsync(item, e.FaultCode, e.Message, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            LogRejected(logger, item.Entity, item.StripeId, e.FaultCode, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Paid invoices and succeeded refunds of <paramref name="from"/> to <paramref name="until"/>. Invoices two ways, by id
    /// once: <c>status=paid</c> ones <em>created</em> in the window (Stripe lists invoices by creation only), and the
    /// <c>invoice.paid</c> events of the window (by payment time: an invoice paid more than the lookback after it was
    /// created — net-60 terms, Smart Retries, uncollectible then paid — is found here). Stripe keeps events 30 days, so
    /// the event window is at most the last 30 days.
    /// </summary>
    public async Task<IReadOnlyList<ReceiptItem>> StripeItemsAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var items = new List<ReceiptItem>();
        var invoices = new HashSet<string>(StringComparer.Ordinal);
        void AddInvoice(Invoice invoice)
        {
            // A 0.00 invoice (a free trial's, a fully credited one) moved no money: nothing to book.
            if (invoice.Status == "paid" && invoice.AmountPaid > 0 && invoices.Add(invoice.Id))
            {
                var paid = invoice.StatusTransitions?.PaidAt ?? invoice.Created;
                items.Add(new ReceiptItem(ReceiptItem.Sales, invoice.Id, invoice.AmountPaid, invoice.Currency, settings.DayOf(new DateTimeOffset(DateTime.SpecifyKind(paid, DateTimeKind.Utc))), $"Stripe invoice {invoice.Number ?? invoice.Id}"));
            }
        }

        var range = new DateRangeOptions { GreaterThanOrEqual = from.UtcDateTime, LessThan = until.UtcDateTime };
        await foreach (var invoice in new InvoiceService(stripe).ListAutoPagingAsync(new InvoiceListOptions { Status = "paid", Created = range, Limit = 100 }, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            AddInvoice(invoice);
        }

        var eventsFrom = from > until - EventRetention ? from : until - EventRetention;
        var events = new EventListOptions { Type = "invoice.paid", Created = new DateRangeOptions { GreaterThanOrEqual = eventsFrom.UtcDateTime, LessThan = until.UtcDateTime }, Limit = 100 };
        await foreach (var paid in new EventService(stripe).ListAutoPagingAsync(events, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (paid.Data?.Object is Invoice invoice)
            {
                AddInvoice(invoice);
            }
        }

        await foreach (var refund in new RefundService(stripe).ListAutoPagingAsync(new RefundListOptions { Created = range, Limit = 100 }, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (refund.Status == "succeeded")
            {
                items.Add(new ReceiptItem(ReceiptItem.Refund, refund.Id, refund.Amount, refund.Currency, settings.DayOf(new DateTimeOffset(DateTime.SpecifyKind(refund.Created, DateTimeKind.Utc))), $"Stripe refund {refund.Id} of charge {refund.ChargeId}"));
            }
        }

        return items;
    }

    /// <summary>
    /// Writes the report of every day without one from the day after the newest stored report (at most
    /// <see cref="QuickBooksSettings.ReportDays"/> back) to <paramref name="lastDay"/>, whatever the run's failures (a
    /// payment that failed shows as missing): a day is never skipped for good, nor blocked by one payment. The days written.
    /// </summary>
    public async Task<IReadOnlyList<ReconcileReport>> WriteReportsAsync(ReconcileReportStore reports, DateOnly lastDay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var first = lastDay.AddDays(1 - settings.ReportDays);
        if ((await reports.DaysAsync(1, cancellationToken).ConfigureAwait(false)) is [var newest]
            && DateOnly.TryParseExact(newest, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var newestDay)
            && newestDay.AddDays(1) > first)
        {
            first = newestDay.AddDays(1);
        }

        var written = new List<ReconcileReport>();
        for (var day = first; day <= lastDay; day = day.AddDays(1))
        {
            if (await reports.ExistsAsync(day, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var report = await ReportAsync(day, cancellationToken).ConfigureAwait(false);
            if (await reports.TryCreateAsync(report, cancellationToken).ConfigureAwait(false))
            {
                written.Add(report);
            }
        }

        return written;
    }

    /// <summary>
    /// Stripe against QuickBooks for one day of the company's time zone: payments without a document (missing), our documents dated that day
    /// without a payment (extra: a DocNumber of ours, or any document with no DocNumber we know), and amounts that differ.
    /// </summary>
    public async Task<ReconcileReport> ReportAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var dayStart = settings.StartOf(day);
        var stripeItems = (await StripeItemsAsync(dayStart - settings.Lookback, settings.StartOf(day.AddDays(1)), cancellationToken).ConfigureAwait(false))
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
        var rejected = new List<RejectedPayment>();
        var differs = new List<DifferingAmount>();
        var duplicates = new List<DuplicateDocuments>();
        var matched = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);
        foreach (var item in stripeItems.OrderBy(i => i.Entity, StringComparer.Ordinal).ThenBy(i => i.StripeId, StringComparer.Ordinal))
        {
            if (!byNumber.TryGetValue((item.Entity, item.DocNumber), out var found))
            {
                if (await ledger.GetAsync(item.Entity, item.StripeId, cancellationToken).ConfigureAwait(false) is { State: ReceiptLedger.Rejected } row)
                {
                    rejected.Add(new RejectedPayment(item.Entity, item.StripeId, item.DocNumber, item.Amount, item.Currency, row.FaultCode, row.Fault));
                }
                else
                {
                    missing.Add(new MissingPayment(item.Entity, item.StripeId, item.DocNumber, item.Amount, item.Currency));
                }

                continue;
            }

            // One payment, one document: more with its DocNumber is a double booking, listed, never hidden as matched.
            var ordered = found.OrderBy(f => (string?)f.Document["Id"], StringComparer.Ordinal).ToList();
            var document = ordered[0].Document;
            matched.UnionWith(found.Select(f => f.Document));
            if (ordered.Count > 1)
            {
                duplicates.Add(new DuplicateDocuments(item.Entity, item.StripeId, item.DocNumber, [.. ordered.Select(f => (string?)f.Document["Id"] ?? string.Empty)], [.. ordered.Select(f => f.Document["TotalAmt"]?.GetValue<decimal>() ?? 0m)]));
            }

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
            differs,
            duplicates,
            rejected);
    }

    private static string Id(JsonObject document) => (string?)document["Id"] ?? throw new QuickBooksException("QuickBooks answered a document without an Id.");

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "QuickBooks reconcile: {Seen} Stripe payments, {Created} created, {Recovered} recovered from pending, {AlreadyDone} already done, {Failed} failed, {Rejected} rejected by QuickBooks, {Deferred} left for the next run")]
    private static partial void LogRun(ILogger logger, int seen, int created, int recovered, int alreadyDone, int failed, int rejected, int deferred);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "QuickBooks rejected the {Entity} for Stripe {StripeId} for good ({FaultCode}: {Fault}); it is in the day's report and not retried until its qbreceipts row is deleted")]
    private static partial void LogRejected(ILogger logger, string entity, string stripeId, string? faultCode, string fault);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "QuickBooks reconcile of {Entity} for Stripe {StripeId} failed; the next run tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string entity, string stripeId);
}

/// <summary>What happened to one Stripe payment.</summary>
public enum ReceiptOutcome
{
    Created,
    Recovered,
    AlreadyDone,
    Rejected,
    Deferred,
}

/// <summary>One reconcile pass.</summary>
public sealed record ReconcileRun(int Seen, int Created, int Recovered, int AlreadyDone, int Failed, int Rejected = 0, int Deferred = 0);

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
    IReadOnlyList<DifferingAmount> AmountDiffers,
    IReadOnlyList<DuplicateDocuments> Duplicates,
    IReadOnlyList<RejectedPayment> Rejected);

/// <summary>A Stripe payment of the day with no QuickBooks document (the entity it should have, and the DocNumber it would carry).</summary>
public sealed record MissingPayment(string Entity, string StripeId, string DocNumber, decimal StripeAmount, string Currency);

/// <summary>A QuickBooks document dated that day that no Stripe payment of the day accounts for.</summary>
public sealed record ExtraDocument(string Entity, string? QuickBooksId, string? DocNumber, decimal? QuickBooksAmount);

/// <summary>A payment with more than one QuickBooks document (its DocNumber): a double booking; ids and totals in id order, the first is the one compared.</summary>
public sealed record DuplicateDocuments(string Entity, string StripeId, string DocNumber, IReadOnlyList<string> QuickBooksIds, IReadOnlyList<decimal> QuickBooksAmounts);

/// <summary>A payment of the day QuickBooks refused for good (ledger state <c>rejected</c>): the fault code and message.</summary>
public sealed record RejectedPayment(string Entity, string StripeId, string DocNumber, decimal StripeAmount, string Currency, string? FaultCode, string? Fault);

/// <summary>A payment whose QuickBooks document has another total.</summary>
public sealed record DifferingAmount(string Entity, string StripeId, string? QuickBooksId, string DocNumber, decimal StripeAmount, decimal QuickBooksAmount, string Currency);
