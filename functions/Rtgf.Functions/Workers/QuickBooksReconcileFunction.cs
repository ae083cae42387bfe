using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Billing.QuickBooks;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>qb-reconcile</c> (schedule <c>QB_RECONCILE_SCHEDULE</c>): Stripe's paid invoices and refunds become QuickBooks
/// sales and refund receipts, exactly once; then every day without a mismatch report since the newest one (at most
/// <c>QuickBooks:ReportDays</c> back, up to yesterday) gets one, failures or not. Without
/// QuickBooks (or Stripe) settings it logs one line and does nothing.
/// </summary>
public sealed partial class QuickBooksReconcileFunction(
    QuickBooksConnection quickBooks, StripeConnection stripe, ReceiptLedger ledger, ReconcileReportStore reports, TimeProvider time, ILogger<QuickBooksReconcileFunction> logger)
{
    [Function("qb-reconcile")]
    public async Task Run([TimerTrigger("%" + QuickBooksSettings.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await RunAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>One pass; null when not configured.</summary>
    public async Task<ReconcileRun?> RunAsync(CancellationToken cancellationToken)
    {
        if (quickBooks.Client is not { } client)
        {
            LogNotConfigured(logger, quickBooks.Settings.Missing);
            return null;
        }

        if (stripe.Client is not { } stripeClient)
        {
            LogNotConfigured(logger, stripe.Problem);
            return null;
        }

        // The days reported are those ended before the run started (not after it: a long run must not report a day it never read).
        var yesterday = quickBooks.Settings.DayOf(time.GetUtcNow()).AddDays(-1);
        var reconciler = new QuickBooksReconciler(stripeClient, client, ledger, quickBooks.Settings, time, logger);
        var run = await reconciler.RunAsync(cancellationToken).ConfigureAwait(false);
        foreach (var report in await reconciler.WriteReportsAsync(reports, yesterday, cancellationToken).ConfigureAwait(false))
        {
            LogReport(logger, report.Day, report.Missing.Count, report.Extra.Count, report.AmountDiffers.Count, report.Duplicates.Count, report.Rejected.Count);
        }

        return run;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "qb-reconcile does nothing: {Reason}")]
    private static partial void LogNotConfigured(ILogger logger, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "QuickBooks mismatch report for {Day}: {Missing} missing, {Extra} extra, {Differs} with another amount, {Duplicates} booked twice, {Rejected} rejected")]
    private static partial void LogReport(ILogger logger, string day, int missing, int extra, int differs, int duplicates, int rejected);
}
