using Azure.Data.Tables;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Functions.Tests.Support;
using Rtgf.Ingestion.Records;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Functions.Tests.Tenders;

/// <summary>The app over its own Layer-1 tables (this fixture's prefix), as the app composes them.</summary>
public abstract class TenderTablesFixture() : StoredAppFixture(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero))
{
    public IRecordTables Tables => Services.GetRequiredService<IRecordTables>();

    protected override void ConfigureStoredServices(IServiceCollection services) =>
        services.AddSingleton<IRecordTables>(sp => new TableRecordTables(sp.GetRequiredService<TableServiceClient>(), Prefix));
}

/// <summary>Before any tender-sync: empty tables.</summary>
public sealed class EmptyTenderFixture : TenderTablesFixture
{
    protected override Task SeedAsync() => Task.CompletedTask;
}

/// <summary>Three contract notices and two approaches to market, stored as <c>tender-sync</c> stores them.</summary>
public sealed class TenderFixture : TenderTablesFixture
{
    public static readonly ContractNoticeRecord[] Contracts =
    [
        Contract("CN1000001", "86101700", ["90001"], new DateTimeOffset(2025, 6, 1, 3, 0, 0, TimeSpan.Zero)),
        Contract("CN1000002", "80101507", ["90002"], new DateTimeOffset(2025, 6, 15, 23, 59, 0, TimeSpan.Zero)),
        Contract("CN1000003", "86111600", [], new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero)),
    ];

    public static readonly TenderRecord[] Tenders =
    [
        new("ATM2025-01", "Accredited training services", "Department of Employment and Workplace Relations", ["86101700"],
            new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 7, 10, 4, 0, 0, TimeSpan.Zero), "https://www.tenders.gov.au/Atm/Show/1", "Training."),
        new("ATM2025-02", "Educational facilities", "Department of Education", ["86132000"],
            new DateTimeOffset(2025, 6, 20, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 7, 20, 4, 0, 0, TimeSpan.Zero), null, null),
    ];

    protected override async Task SeedAsync()
    {
        foreach (var contract in Contracts)
        {
            Assert.True(await Tables.Open(IngestTables.TenderContracts).TryWriteAsync(RecordRows.From(contract, TenderSyncWorker.ContractPartition, contract.ContractId, contract.LastModified, "seed"), null));
        }

        foreach (var tender in Tenders)
        {
            Assert.True(await Tables.Open(IngestTables.Tenders).TryWriteAsync(RecordRows.From(tender, TenderSyncWorker.TenderPartition, tender.AtmId, tender.PublishedDate, "seed"), null));
        }
    }

    private static ContractNoticeRecord Contract(string id, string category, string[] rtos, DateTimeOffset modified) => new(
        id, "prod-" + id, "prod-" + id + "-1", modified, id + " title", "description", new ContractParty("Department of Education", "51000000000"),
        [new ContractParty("Example Training Pty Ltd", "12345678901")], [category], 148500.00m, "AUD", modified.AddDays(-7), modified, modified.AddYears(1),
        "limited", rtos, id == "CN1000001" ? [new ContractAmendment("A1", modified, "prod-" + id + "-1")] : []);
}
