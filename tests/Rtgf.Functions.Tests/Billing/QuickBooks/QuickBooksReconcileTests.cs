using Rtgf.Functions.Billing.QuickBooks;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Billing.QuickBooks;

/// <summary>
/// The reconcile end to end on real parts (QuickBooks, Stripe and Key Vault stand-ins, Azurite): exactly one QuickBooks
/// document per Stripe payment under re-runs, a crash between create and record, two runs at once, and QuickBooks faults.
/// </summary>
public sealed class QuickBooksReconcileTests
{
    [Fact]
    public async Task Reconcile_OneSalesReceiptPerPaidInvoice_OneRefundReceiptPerRefund_AndARerunCreatesNothing()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        var first = await rig.PaidSubscriptionAsync();
        await rig.PaidSubscriptionAsync();
        var renewal = (string)(await rig.Stripe.Admin.AdvancePeriodAsync(first))["id"]!;
        await rig.Stripe.Admin.RefundAsync(renewal, 1_000);
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var reconciler = rig.Reconciler(rig.Connection());

        var run = await reconciler.RunAsync(CancellationToken.None);
        var posts = await rig.CallsAsync("POST salesreceipt") + await rig.CallsAsync("POST refundreceipt");
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await reconciler.RunAsync(CancellationToken.None);

        Assert.Equal(new ReconcileRun(4, 4, 0, 0, 0), run);
        Assert.Equal(new ReconcileRun(4, 0, 0, 4, 0), again);
        Assert.Equal(4, posts);
        Assert.Equal(posts, await rig.CallsAsync("POST salesreceipt") + await rig.CallsAsync("POST refundreceipt"));
        var sales = await rig.DocumentsAsync(ReceiptItem.Sales);
        var refund = Assert.Single(await rig.DocumentsAsync(ReceiptItem.Refund));
        Assert.Equal(3, sales.Count);
        Assert.All(sales, s => Assert.Equal(49m, (decimal)s["TotalAmt"]!));
        Assert.Equal(3, sales.Select(s => (string?)s["DocNumber"]).Distinct().Count());
        Assert.Contains(sales, s => (string?)s["PrivateNote"] == $"Stripe invoice {renewal}" && (string?)s["DocNumber"] == ReceiptItem.DocNumberOf(ReceiptItem.Sales, renewal));
        Assert.All(sales, s => Assert.Equal("7", (string?)s["Line"]![0]!["SalesItemLineDetail"]!["ItemRef"]!["value"]));
        Assert.Equal(10m, (decimal)refund["TotalAmt"]!);
        Assert.Equal("35", (string?)refund["DepositToAccountRef"]!["value"]);
        Assert.Equal(21, ((string)refund["DocNumber"]!).Length);
        Assert.Equal("2026-11-01", (string?)refund["TxnDate"]);
        var row = await rig.Ledger.GetAsync(ReceiptItem.Sales, renewal, CancellationToken.None);
        Assert.Equal(ReceiptLedger.Created, row!.State);
        Assert.Contains(sales, s => (string?)s["Id"] == row.QuickBooksId);
    }

    [Fact]
    public async Task CrashAfterTheCreate_BeforeTheRecord_TheNextRunFindsTheDocument_AndCreatesNoSecond()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        await rig.PaidSubscriptionAsync();
        await rig.PaidSubscriptionAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        var reconciler = rig.Reconciler(connection);
        var items = await reconciler.StripeItemsAsync(QuickBooksRig.Start.AddDays(-1), rig.Clock.GetUtcNow(), CancellationToken.None);
        // The crashed run: claimed both; created the first in QuickBooks; crashed before recording it, and before creating the second.
        Assert.True(await rig.Ledger.TryClaimAsync(items[0], rig.Clock.GetUtcNow(), CancellationToken.None));
        Assert.True(await rig.Ledger.TryClaimAsync(items[1], rig.Clock.GetUtcNow(), CancellationToken.None));
        var orphan = await connection.Client!.CreateAsync(items[0].Entity, items[0].ToDocument(rig.Settings), items[0].RequestId, CancellationToken.None);
        var young = await reconciler.RunAsync(CancellationToken.None); // a create of those claims may still be in flight
        var held = await rig.Ledger.WatermarkAsync(CancellationToken.None);
        rig.Clock.Advance(QuickBooksReconciler.PendingGrace);

        var run = await reconciler.RunAsync(CancellationToken.None);

        Assert.Equal(new ReconcileRun(2, 0, 0, 0, 0, 0, 2), young);
        Assert.Null(held); // deferred rows hold it
        Assert.Equal(new ReconcileRun(2, 0, 2, 0, 0), run);
        var sales = await rig.DocumentsAsync(ReceiptItem.Sales);
        Assert.Equal(2, sales.Count);
        Assert.Equal((string?)orphan["Id"], (await rig.Ledger.GetAsync(items[0].Entity, items[0].StripeId, CancellationToken.None))!.QuickBooksId);
        Assert.Equal(2, await rig.CallsAsync("POST salesreceipt")); // the crashed run's one, then only the missing one
        Assert.Equal(2, await rig.CallsAsync("GET query"));
    }

    [Fact]
    public async Task TwoRunsAtOnce_OnTwoInstances_StillOneDocumentPerPayment()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        for (var i = 0; i < 12; i++)
        {
            await rig.PaidSubscriptionAsync();
        }

        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        // One instance refreshes first (strict rotation: two concurrent refreshes of one token cannot both succeed; that race has its own test).
        var a = rig.Connection();
        var b = rig.Connection();
        await a.Tokens!.AccessTokenAsync(CancellationToken.None);
        await b.Tokens!.AccessTokenAsync(CancellationToken.None);

        var runs = await Task.WhenAll(rig.Reconciler(a).RunAsync(CancellationToken.None), rig.Reconciler(b).RunAsync(CancellationToken.None));

        var sales = await rig.DocumentsAsync(ReceiptItem.Sales);
        Assert.Equal(12, sales.Count);
        Assert.Equal(12, sales.Select(s => (string?)s["DocNumber"]).Distinct().Count());
        Assert.All(runs, r => Assert.Equal(0, r.Failed));
        Assert.All(runs, r => Assert.Equal(12, r.Created + r.Recovered + r.AlreadyDone + r.Deferred)); // a row the other run just claimed is left to it
        Assert.Equal(12, runs.Sum(r => r.Created));
    }

    [Theory]
    [InlineData("429")]
    [InlineData("500")]
    [InlineData("503")]
    [InlineData("truncated")] // QuickBooks created it, and the answer was lost: the retry with the same requestid gets the same document
    public async Task TransientQuickBooksFaults_AreRetried_AndStillMakeOneDocument(string mode)
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        await rig.PaidSubscriptionAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        await connection.Tokens!.AccessTokenAsync(CancellationToken.None);
        await rig.FaultAsync("/v3/company/9341453050298815/salesreceipt", mode, 2);

        var run = await rig.Reconciler(connection).RunAsync(CancellationToken.None);

        Assert.Equal(new ReconcileRun(1, 1, 0, 0, 0), run);
        Assert.Single(await rig.DocumentsAsync(ReceiptItem.Sales));
        Assert.Equal(3, await rig.CallsAsync("POST salesreceipt") + (mode == "truncated" ? 0 : 2));
    }

    [Fact]
    public async Task AHangingQuickBooks_TimesOutTheAttempt_AndTheRetryMakesOneDocument()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        await rig.PaidSubscriptionAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        await connection.Tokens!.AccessTokenAsync(CancellationToken.None);
        using (var hang = await rig.Sim.PostAsync(new Uri("_sim/faults", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(new System.Text.Json.Nodes.JsonObject
        {
            ["routePrefix"] = "/v3/company/9341453050298815/salesreceipt", ["mode"] = "slow", ["count"] = 1, ["delaySeconds"] = 3600,
        })))
        {
            hang.EnsureSuccessStatusCode();
        }

        var running = rig.Reconciler(connection).RunAsync(CancellationToken.None);
        // The stand-in holds the create (a wait on the shared manual clock); then 31 s pass: the 30 s attempt timeout fires.
        await Eventually.ProbeAsync(() => Task.FromResult(rig.Clock.PendingWaits), n => n >= 1, TimeSpan.FromSeconds(30), "the stand-in holding the create");
        rig.Clock.Advance(TimeSpan.FromSeconds(31));
        var run = await running;

        Assert.Equal(new ReconcileRun(1, 1, 0, 0, 0), run);
        Assert.Single(await rig.DocumentsAsync(ReceiptItem.Sales));
        Assert.Equal(1, await rig.CallsAsync("POST salesreceipt")); // the held one never reached QuickBooks' handler
    }

    [Fact]
    public async Task APersistentFault_FailsThatPayment_KeepsTheWatermark_AndTheNextRunFinishesIt()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        await rig.PaidSubscriptionAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        await connection.Tokens!.AccessTokenAsync(CancellationToken.None);
        await rig.FaultAsync("/v3/company/9341453050298815/salesreceipt", "500", 4); // the first try and all 3 retries

        var failed = await rig.Reconciler(connection).RunAsync(CancellationToken.None);
        var watermark = await rig.Ledger.WatermarkAsync(CancellationToken.None);
        rig.Clock.Advance(QuickBooksReconciler.PendingGrace);
        var next = await rig.Reconciler(connection).RunAsync(CancellationToken.None);

        Assert.Equal(new ReconcileRun(1, 0, 0, 0, 1), failed);
        Assert.Null(watermark);
        Assert.Equal(new ReconcileRun(1, 0, 1, 0, 0), next); // the pending claim: looked up, then created
        Assert.Single(await rig.DocumentsAsync(ReceiptItem.Sales));
        Assert.NotNull(await rig.Ledger.WatermarkAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DailyReport_ListsMissingExtraAndDifferingAmounts()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        await rig.PaidSubscriptionAsync();
        await rig.PaidSubscriptionAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        var reconciler = rig.Reconciler(connection);
        var items = await reconciler.StripeItemsAsync(QuickBooksRig.Start.AddDays(-1), rig.Clock.GetUtcNow(), CancellationToken.None);
        // Someone booked one payment by hand in QuickBooks with another amount (and the ledger knows it), and a document of nobody's.
        var edited = items[0];
        Assert.True(await rig.Ledger.TryClaimAsync(edited, rig.Clock.GetUtcNow(), CancellationToken.None));
        var manual = await connection.Client!.CreateAsync(edited.Entity, (edited with { AmountCents = 4_500 }).ToDocument(rig.Settings), "manual-1", CancellationToken.None);
        await rig.Ledger.MarkCreatedAsync(edited, (string)manual["Id"]!, rig.Clock.GetUtcNow(), CancellationToken.None);
        var stray = await connection.Client.CreateAsync(ReceiptItem.Sales, new ReceiptItem(ReceiptItem.Sales, "cash_sale_1", 1_234, "aud", new DateOnly(2026, 11, 1), "cash").ToDocument(rig.Settings), "manual-2", CancellationToken.None);
        await reconciler.RunAsync(CancellationToken.None);
        // Paid after the run, the same day: not in QuickBooks yet.
        await rig.PaidSubscriptionAsync();

        var report = await reconciler.ReportAsync(new DateOnly(2026, 11, 1), CancellationToken.None);
        var stored = await rig.Reports.TryCreateAsync(report, CancellationToken.None);
        var storedAgain = await rig.Reports.TryCreateAsync(report with { Missing = [] }, CancellationToken.None);
        var read = await rig.Reports.GetAsync(new DateOnly(2026, 11, 1), CancellationToken.None);

        Assert.Equal("2026-11-01", report.Day);
        Assert.Equal(3, report.StripeInvoices);
        Assert.Equal(3, report.QuickBooksSalesReceipts);
        var missing = Assert.Single(report.Missing);
        Assert.Equal(ReceiptItem.Sales, missing.Entity);
        Assert.Equal(49m, missing.StripeAmount);
        Assert.DoesNotContain(items, i => i.StripeId == missing.StripeId); // the late one
        var extra = Assert.Single(report.Extra);
        Assert.Equal((string?)stray["Id"], extra.QuickBooksId);
        Assert.Equal(12.34m, extra.QuickBooksAmount);
        var differing = Assert.Single(report.AmountDiffers);
        Assert.Equal(edited.StripeId, differing.StripeId);
        Assert.Equal(49m, differing.StripeAmount);
        Assert.Equal(45m, differing.QuickBooksAmount);
        Assert.True(stored);
        Assert.False(storedAgain);
        Assert.Equal(report.Missing, read!.Missing);
        Assert.Equal(["2026-11-01"], await rig.Reports.DaysAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task APaymentQuickBooksRefusesForGood_IsRejected_DoesNotHoldTheWatermark_AndIsReported()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        await rig.PaidSubscriptionAsync();
        await rig.PaidSubscriptionAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        var reconciler = rig.Reconciler(connection);
        var items = await reconciler.StripeItemsAsync(QuickBooksRig.Start.AddDays(-1), rig.Clock.GetUtcNow(), CancellationToken.None);
        var refused = items.OrderBy(i => i.StripeId, StringComparer.Ordinal).First();
        (await rig.Sim.PostAsync(new Uri($"_sim/quickbooks/refuse/{refused.DocNumber}", UriKind.Relative), null)).Dispose();

        var run = await reconciler.RunAsync(CancellationToken.None);
        var watermark = await rig.Ledger.WatermarkAsync(CancellationToken.None);
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var next = await reconciler.RunAsync(CancellationToken.None);
        var report = await reconciler.ReportAsync(new DateOnly(2026, 11, 1), CancellationToken.None);

        Assert.Equal(new ReconcileRun(2, 1, 0, 0, 0, 1), run);
        Assert.NotNull(watermark);
        Assert.Equal(new ReconcileRun(2, 0, 0, 1, 0, 1), next);
        Assert.Equal(2, await rig.CallsAsync("POST salesreceipt")); // the refused one was asked once (and not retried), never again
        var row = await rig.Ledger.GetAsync(refused.Entity, refused.StripeId, CancellationToken.None);
        Assert.Equal(ReceiptLedger.Rejected, row!.State);
        Assert.Equal("6000", row.FaultCode);
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(refused.StripeId, rejected.StripeId);
        Assert.Equal("6000", rejected.FaultCode);
        Assert.Empty(report.Missing);
    }

    [Fact]
    public async Task DailyReport_ListsADoubleBooking()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        await rig.PaidSubscriptionAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        var reconciler = rig.Reconciler(connection);
        await reconciler.RunAsync(CancellationToken.None);
        var item = Assert.Single(await reconciler.StripeItemsAsync(QuickBooksRig.Start.AddDays(-1), rig.Clock.GetUtcNow(), CancellationToken.None));
        // Someone booked the same payment again by hand (same DocNumber), for another amount.
        var twice = await connection.Client!.CreateAsync(item.Entity, (item with { AmountCents = 4_000 }).ToDocument(rig.Settings), "manual-again", CancellationToken.None);

        var report = await reconciler.ReportAsync(new DateOnly(2026, 11, 1), CancellationToken.None);

        var duplicate = Assert.Single(report.Duplicates);
        Assert.Equal(item.StripeId, duplicate.StripeId);
        Assert.Equal(2, duplicate.QuickBooksIds.Count);
        Assert.Contains((string)twice["Id"]!, duplicate.QuickBooksIds);
        Assert.Contains(40m, duplicate.QuickBooksAmounts);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Extra);
    }

    [Fact]
    public async Task Reports_AreWrittenDespiteFailures_AndMissedDaysAreBackfilled()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        await rig.PaidSubscriptionAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        await connection.Tokens!.AccessTokenAsync(CancellationToken.None);
        var reconciler = rig.Reconciler(connection);
        await rig.Reports.TryCreateAsync(await reconciler.ReportAsync(new DateOnly(2026, 10, 30), CancellationToken.None), CancellationToken.None);
        await rig.FaultAsync("/v3/company/9341453050298815/salesreceipt", "500", 4); // every try of this run's one create
        rig.Clock.Advance(TimeSpan.FromDays(2)); // 3 November: no report for 31 October, 1 or 2 November yet

        var run = await reconciler.RunAsync(CancellationToken.None);
        var written = await reconciler.WriteReportsAsync(rig.Reports, new DateOnly(2026, 11, 2), CancellationToken.None);
        var again = await reconciler.WriteReportsAsync(rig.Reports, new DateOnly(2026, 11, 2), CancellationToken.None);

        Assert.Equal(1, run.Failed);
        Assert.Equal(["2026-10-31", "2026-11-01", "2026-11-02"], written.Select(r => r.Day));
        Assert.Empty(again);
        var first = written.Single(r => r.Day == "2026-11-01");
        Assert.Single(first.Missing); // the failed payment
        Assert.Equal(["2026-11-02", "2026-11-01", "2026-10-31", "2026-10-30"], await rig.Reports.DaysAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task AnInvoicePaidLongAfterItWasCreated_IsFoundByItsPaymentTime_AndBooked()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        var subscription = await rig.PaidSubscriptionAsync();
        await rig.Stripe.Admin.FailNextPaymentAsync(subscription); // the renewal invoice is created now, and left open
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        var reconciler = rig.Reconciler(connection);
        var before = await reconciler.RunAsync(CancellationToken.None);
        rig.Clock.Advance(TimeSpan.FromDays(40));
        await reconciler.RunAsync(CancellationToken.None); // the watermark moves to 11 December
        rig.Clock.Advance(TimeSpan.FromDays(1));
        var late = (string)(await rig.Stripe.Admin.RecoverAsync(subscription))["latest_invoice"]!; // paid 41 days after it was created
        rig.Clock.Advance(TimeSpan.FromMinutes(1));

        var run = await reconciler.RunAsync(CancellationToken.None);
        var report = await reconciler.ReportAsync(new DateOnly(2026, 12, 12), CancellationToken.None);

        Assert.Equal(1, before.Created);
        Assert.Equal(1, run.Created);
        var sales = await rig.DocumentsAsync(ReceiptItem.Sales);
        Assert.Equal(2, sales.Count);
        var booked = Assert.Single(sales, s => (string?)s["PrivateNote"] == $"Stripe invoice {late}");
        Assert.Equal("2026-12-12", (string?)booked["TxnDate"]);
        Assert.Equal(1, report.StripeInvoices);
        Assert.Empty(report.Missing);
    }

    [Fact]
    public async Task ARunOutOfTime_ClaimsNothingMore_AndLeavesTheWatermark()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        await rig.PaidSubscriptionAsync();
        await rig.PaidSubscriptionAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        var spent = new QuickBooksReconciler(rig.StripeClient, connection.Client!, rig.Ledger, new QuickBooksSettings { ItemId = "7", RunBudget = TimeSpan.Zero }, rig.Clock, rig.Logs.Factory.CreateLogger<QuickBooksReconciler>());

        var run = await spent.RunAsync(CancellationToken.None);
        var watermark = await rig.Ledger.WatermarkAsync(CancellationToken.None);
        var next = await rig.Reconciler(connection).RunAsync(CancellationToken.None);

        Assert.Equal(new ReconcileRun(2, 0, 0, 0, 0, 0, 2), run);
        Assert.Null(watermark);
        Assert.Equal(0, await rig.CallsAsync("POST salesreceipt") - next.Created);
        Assert.Equal(new ReconcileRun(2, 2, 0, 0, 0), next);
        Assert.NotNull(await rig.Ledger.WatermarkAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TheCompanysTimeZoneDatesThePayment_OtherCurrenciesAreNotBooked_AndLinesCarryTheTaxCode()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        rig.Clock.Advance(TimeSpan.FromHours(4.5)); // 13:30 UTC on 1 November: 00:30 on 2 November in Sydney (AEDT)
        await rig.PaidSubscriptionAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        var settings = new QuickBooksSettings { ItemId = "7", TaxCodeId = "10" };
        var reconciler = new QuickBooksReconciler(rig.StripeClient, connection.Client!, rig.Ledger, settings, rig.Clock, rig.Logs.Factory.CreateLogger<QuickBooksReconciler>());
        var dollars = new ReceiptItem(ReceiptItem.Sales, "in_usd_1", 4_900, "usd", new DateOnly(2026, 11, 2), "Stripe invoice in_usd_1");

        var run = await reconciler.RunAsync(CancellationToken.None);
        var foreign = await reconciler.ApplyAsync(dollars, CancellationToken.None);

        Assert.Equal(1, run.Created);
        var sale = Assert.Single(await rig.DocumentsAsync(ReceiptItem.Sales));
        Assert.Equal("2026-11-02", (string?)sale["TxnDate"]);
        Assert.Equal("TaxInclusive", (string?)sale["GlobalTaxCalculation"]);
        Assert.Equal("10", (string?)sale["Line"]![0]!["SalesItemLineDetail"]!["TaxCodeRef"]!["value"]);
        Assert.Equal(49m, (decimal)sale["TotalAmt"]!);
        Assert.Equal(ReceiptOutcome.Rejected, foreign);
        Assert.Equal(1, await rig.CallsAsync("POST salesreceipt"));
        var row = await rig.Ledger.GetAsync(ReceiptItem.Sales, "in_usd_1", CancellationToken.None);
        Assert.Equal(("rejected", "currency"), (row!.State, row.FaultCode));
        Assert.Equal(new DateOnly(2026, 11, 2), settings.DayOf(rig.Clock.GetUtcNow()));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 13, 0, 0, TimeSpan.Zero), settings.StartOf(new DateOnly(2026, 11, 2)));
    }

    [Fact]
    public void TheRequestId_FitsQuickBooks_HoweverLongStripesIdsGrow()
    {
        var item = new ReceiptItem(ReceiptItem.Sales, "in_" + new string('x', 200), 4_900, "aud", new DateOnly(2026, 11, 1), "Stripe invoice");
        var other = item with { StripeId = "in_" + new string('x', 199) + "y" };

        Assert.True(item.RequestId.Length <= 50);
        Assert.NotEqual(item.RequestId, other.RequestId);
        Assert.Equal(item.RequestId, (item with { AmountCents = 1 }).RequestId);
    }

    [Fact]
    public async Task APendingRowIsRecoveredByOneRecoverer_WithTheNextGenerationsRequestId()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        await rig.PaidSubscriptionAsync();
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var connection = rig.Connection();
        var reconciler = rig.Reconciler(connection);
        var item = Assert.Single(await reconciler.StripeItemsAsync(QuickBooksRig.Start.AddDays(-1), rig.Clock.GetUtcNow(), CancellationToken.None));
        Assert.True(await rig.Ledger.TryClaimAsync(item, rig.Clock.GetUtcNow(), CancellationToken.None)); // a run claimed it and crashed before creating
        rig.Clock.Advance(QuickBooksReconciler.PendingGrace);
        var stale = await rig.Ledger.GetAsync(item.Entity, item.StripeId, CancellationToken.None);
        Assert.True(await rig.Ledger.TryTakeOverAsync(stale!, rig.Clock.GetUtcNow(), CancellationToken.None)); // another recoverer, first
        var lost = await rig.Ledger.TryTakeOverAsync(stale!, rig.Clock.GetUtcNow(), CancellationToken.None);
        rig.Clock.Advance(QuickBooksReconciler.PendingGrace);

        var run = await reconciler.RunAsync(CancellationToken.None);

        Assert.False(lost);
        Assert.Equal(new ReconcileRun(1, 0, 1, 0, 0), run);
        Assert.Single(await rig.DocumentsAsync(ReceiptItem.Sales));
        var row = await rig.Ledger.GetAsync(item.Entity, item.StripeId, CancellationToken.None);
        Assert.Equal((ReceiptLedger.Created, 2), (row!.State, row.Generation));
        Assert.NotEqual(item.RequestIdOf(1), item.RequestIdOf(2));
        Assert.True(item.RequestIdOf(99).Length <= 50);
    }
}
