using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Functions.Billing.QuickBooks;
using Rtgf.Functions.Tests.Support;
using Rtgf.Functions.Workers;

namespace Rtgf.Functions.Tests.Billing.QuickBooks;

/// <summary>The real app without QuickBooks settings: the timer does nothing but say so; operators read stored reports.</summary>
public sealed class QuickBooksAppTests(QuickBooksAppTests.Fixture app) : IClassFixture<QuickBooksAppTests.Fixture>
{
    [Fact]
    public async Task NotConfigured_TheTimerLogsOneLine_AndDoesNothing()
    {
        var function = ActivatorUtilities.CreateInstance<QuickBooksReconcileFunction>(app.Services);

        var run = await function.RunAsync(CancellationToken.None);

        Assert.Null(run);
        var line = Assert.Single(app.Logs.Entries, e => e.Category == typeof(QuickBooksReconcileFunction).FullName);
        Assert.Equal("qb-reconcile does nothing: QuickBooks is not configured: the settings QuickBooks:ClientId, QuickBooks:ClientSecret, QuickBooks:RealmId, QuickBooks:KeyVaultUri are missing.", line.Message);
    }

    [Fact]
    public async Task Operators_ReadAStoredReport_AndBadOrUnknownDaysAreProblems()
    {
        var reports = app.Services.GetRequiredService<ReconcileReportStore>();
        await reports.TryCreateAsync(
            new ReconcileReport("2026-11-01", new DateTimeOffset(2026, 11, 2, 0, 20, 0, TimeSpan.Zero), 2, 0, 1, 0,
                [new MissingPayment(ReceiptItem.Sales, "in_missing", ReceiptItem.DocNumberOf(ReceiptItem.Sales, "in_missing"), 49m, "aud")], [], [], [], []),
            CancellationToken.None);
        using var client = app.CreateClient();

        using var found = await client.GetAsync(new Uri("/ops/billing/reconcile/reports/2026-11-01", UriKind.Relative));
        using var list = await client.GetAsync(new Uri("/ops/billing/reconcile/reports", UriKind.Relative));
        using var bad = await client.GetAsync(new Uri("/ops/billing/reconcile/reports/2026-13-01", UriKind.Relative));
        using var absent = await client.GetAsync(new Uri("/ops/billing/reconcile/reports/2026-11-02", UriKind.Relative));
        using var badLimit = await client.GetAsync(new Uri("/ops/billing/reconcile/reports?limit=0", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var report = JsonNode.Parse(await found.Content.ReadAsStringAsync())!;
        Assert.Equal("2026-11-01", (string?)report["day"]);
        Assert.Equal(2, (int)report["stripeInvoices"]!);
        Assert.Equal("in_missing", (string?)report["missing"]![0]!["stripeId"]);
        Assert.Equal(49m, (decimal)report["missing"]![0]!["stripeAmount"]!);
        Assert.Equal(["2026-11-01"], JsonNode.Parse(await list.Content.ReadAsStringAsync())!["days"]!.AsArray().Select(d => (string?)d));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
        Assert.Equal("application/problem+json", absent.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    public sealed class Fixture : StoredAppFixture
    {
        public Fixture()
            : base(new DateTimeOffset(2026, 11, 2, 0, 20, 0, TimeSpan.Zero))
        {
        }

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            [QuickBooksSettings.ScheduleSetting] = QuickBooksSettings.DefaultSchedule,
        };

        protected override Task SeedAsync() => Task.CompletedTask;

        protected override void ConfigureStoredServices(IServiceCollection services)
        {
            services.RemoveAll<ReconcileReportStore>();
            services.AddSingleton(_ => new ReconcileReportStore(Azurite.BlobService().GetBlobContainerClient(Prefix + "reconcile")));
        }
    }
}
