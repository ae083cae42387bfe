using Rtgf.Azure.Storage.Tables;

namespace Rtgf.Azure.Tests.Storage.Tables;

public sealed class TableODataTests
{
    [Fact]
    public void CreateQueryFilter_EscapesQuotesSoValuesCannotChangeTheQuery()
    {
        const string hostile = "x' or PartitionKey ne '";

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {hostile}");

        Assert.Equal("PartitionKey eq 'x'' or PartitionKey ne '''", filter);
    }

    [Fact]
    public void CreateQueryFilter_FormatsEveryTypeAsItsLiteral()
    {
        var at = new DateTimeOffset(2026, 11, 22, 11, 2, 3, TimeSpan.FromHours(10));
        var id = Guid.Parse("8c5b2a9e-0d6c-4c1b-9a57-5f1d3e2b7a10");

        var filter = TableClient.CreateQueryFilter(
            $"A eq {"O'Brien"} and B eq {42} and C eq {42L} and D eq {2.0} and E eq {0.25} and F eq {true} and G ge {at} and H eq {id} and I eq {new byte[] { 0x0A, 0xFF }}");

        Assert.Equal(
            "A eq 'O''Brien' and B eq 42 and C eq 42L and D eq 2.0 and E eq 0.25 and F eq true and G ge datetime'2026-11-22T01:02:03.0000000Z' and H eq guid'8c5b2a9e-0d6c-4c1b-9a57-5f1d3e2b7a10' and I eq X'0aff'",
            filter);
    }

    [Fact]
    public void CreateQueryFilter_UnsupportedType_IsRefused() =>
        Assert.Throws<ArgumentException>(() => TableClient.CreateQueryFilter($"A eq {1.5m}"));

    [Fact]
    public void EntityPath_DoublesQuotesThenPercentEscapes()
    {
        var path = TableOData.EntityPath("orders", "O'Brien", "a b/%");

        Assert.Equal("orders(PartitionKey='O%27%27Brien',RowKey='a%20b%2F%25')", path);
    }
}
