using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Billing;
using Rtgf.Functions.Billing;
using Rtgf.Pipeline.Billing;
using Stripe;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>billing-grace</c> (schedule <c>BILLING_GRACE_SCHEDULE</c>): moves the keys of accounts past due or unpaid for longer
/// than <c>Billing:GraceDays</c> to the free plan, or to a second live subscription of the key when it has one. Idempotent (compare-and-swap per account); a failed account is logged
/// and the rest go on, and the next run tries it again.
/// </summary>
public sealed partial class BillingGraceFunction(TableBillingAccountStore accounts, SubscriptionLedger ledger, StripeConnection stripe, ILogger<BillingGraceFunction> logger)
{
    [Function("billing-grace")]
    public async Task<int> Run([TimerTrigger("%" + BillingSettings.GraceScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await RunAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>One pass; the number of accounts downgraded in it.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var downgraded = 0;
        // Stripe is asked only about an account with a second live subscription (it is followed instead of free).
        Func<string, CancellationToken, Task<SubscriptionState>> fetch = stripe.Client is { } client
            ? StripeWebhookHandler.FetchAsync(new SubscriptionService(client))
            : (_, _) => throw new InvalidOperationException(stripe.Problem);
        foreach (var account in await accounts.ListPastDueAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (await ledger.ExpireAsync(account.KeyId, fetch, cancellationToken).ConfigureAwait(false) is { } after && after.Plan != account.Plan)
                {
                    downgraded++;
                    LogDowngraded(logger, account.KeyId, account.Plan, after.Plan);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, account.KeyId);
            }
        }

        return downgraded;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Grace over: the API key {KeyId} moved from plan {From} to {To}")]
    private static partial void LogDowngraded(ILogger logger, string keyId, string from, string to);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The grace check of the billing account of API key {KeyId} failed; the next run tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string keyId);
}
