using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Billing.QuickBooks;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>qb-reconcile</c> (schedule <c>QB_RECONCILE_SCHEDULE</c>): Stripe's paid invoices and refunds become QuickBooks
/// sales and refund receipts, exactly once; then yesterday's mismatch report is written if the day has none. Without
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

        var reconciler = new QuickBooksReconciler(stripeClient, client, ledger, quickBooks.Settings, time, logger);
        var run = await reconciler.RunAsync(cancellationToken).ConfigureAwait(false);
        var yesterday = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-1);
        if (run.Failed == 0 && !await reports.ExistsAsync(yesterday, cancellationToken).ConfigureAwait(false))
        {
            var report = await reconciler.ReportAsync(yesterday, cancellationToken).ConfigureAwait(false);
            if (await reports.TryCreateAsync(report, cancellationToken).ConfigureAwait(false))
            {
                LogReport(logger, report.Day, report.Missing.Count, report.Extra.Count, report.AmountDiffers.Count);
            }
        }

        return run;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "qb-reconcile does nothing: {Reason}")]
    private static partial void LogNotConfigured(ILogger logger, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "QuickBooks mismatch report for {Day}: {Missing} missing, {Extra} extra, {Differs} with another amount")]
    private static partial void LogReport(ILogger logger, string day, int missing, int extra, int differs);
}
