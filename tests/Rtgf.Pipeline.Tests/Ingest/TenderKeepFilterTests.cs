using Rtgf.Ingestion.Records;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Tests.Ingest;

public sealed class TenderKeepFilterTests
{
    private static readonly RtoAbns Rtos = new([("90001", "11111111111"), ("90002", "22222222222")]);

    private static ContractNoticeRecord Contract(string? buyerAbn, string? supplierAbn, string category = "80101507") => new(
        "CN1", "ocds-1", "r1", new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), "t", null,
        new ContractParty("Buyer", buyerAbn), [new ContractParty("Supplier", supplierAbn)], [category],
        1m, "AUD", null, null, null, null, [], []);

    [Fact]
    public void SupplierIsAnRto_RtoCodesAreTheSuppliers()
    {
        var kept = TenderKeepFilter.Keep(Contract("22222222222", "11111111111"), Rtos, alreadyKept: false)!;

        Assert.Equal(["90001"], kept.RtoCodes);
        Assert.Equal(["90002"], kept.BuyerRtoCodes);
    }

    [Fact]
    public void OnlyTheBuyerIsAnRto_KeptWithBuyerRtoCodesAndNoRtoCodes()
    {
        var kept = TenderKeepFilter.Keep(Contract("22222222222", "33333333333"), Rtos, alreadyKept: false)!;

        Assert.Empty(kept.RtoCodes);
        Assert.Equal(["90002"], kept.BuyerRtoCodes);
    }

    [Fact]
    public void NoRtoAndNotEducation_NotKeptUnlessAlreadyKept()
    {
        Assert.Null(TenderKeepFilter.Keep(Contract("33333333333", null), Rtos, alreadyKept: false));
        Assert.NotNull(TenderKeepFilter.Keep(Contract("33333333333", null), Rtos, alreadyKept: true));
        Assert.NotNull(TenderKeepFilter.Keep(Contract("33333333333", null, "86101700"), Rtos, alreadyKept: false));
    }
}
