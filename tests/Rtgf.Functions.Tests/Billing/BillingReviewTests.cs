using Rtgf.Functions.Billing;
using Rtgf.Pipeline.Billing;

namespace Rtgf.Functions.Tests.Billing;

/// <summary>What review found in billing: stale states, second subscriptions, price changes, Stripe's client errors, orphaned customers.</summary>
public sealed class BillingReviewTests(BillingReviewFixture app) : IClassFixture<BillingReviewFixture>
{
    [Fact]
    public async Task AStaleFetch_NeverWinsOverAppliersThatFoundNothingToChange()
    {
        var (_, keyId, subscriptionId) = await app.PaidKeyAsync();
        var ledger = app.Services.GetRequiredService<SubscriptionLedger>();
        var account = await app.AccountAsync(keyId);
        SubscriptionState State(string status) => new(subscriptionId, account.CustomerId, status, BillingReviewFixture.StandardPrice);

        // A reads the account, then its look at Stripe is held; it saw past_due, Stripe has since said active again.
        var aFetching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aFetches = 0;
        var a = ledger.ApplyAsync(keyId, async _ =>
        {
            if (Interlocked.Increment(ref aFetches) == 1)
            {
                aFetching.SetResult();
                await aRelease.Task;
                return State("past_due");
            }

            return State("active");
        }, "evt_stale_a", CancellationToken.None);
        await aFetching.Task;

        // B and C read the account after A and find Stripe's active: nothing changes for them.
        await ledger.ApplyAsync(keyId, _ => Task.FromResult(State("active")), "evt_stale_b", CancellationToken.None);
        await ledger.ApplyAsync(keyId, _ => Task.FromResult(State("active")), "evt_stale_c", CancellationToken.None);
        aRelease.SetResult();
        await a;

        var after = await app.AccountAsync(keyId);
        Assert.Equal(2, aFetches); // A lost its swap and asked Stripe again
        Assert.Equal(("active", (DateTimeOffset?)null, "standard"), (after.Status, after.PastDueSince, after.Plan));
        Assert.Equal("standard", await app.PlanOfKeyAsync(keyId));
    }
}
