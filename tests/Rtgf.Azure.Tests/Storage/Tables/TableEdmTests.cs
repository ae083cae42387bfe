using System.Text;
using System.Text.Json;
using Rtgf.Azure.Storage.Tables;

namespace Rtgf.Azure.Tests.Storage.Tables;

public sealed class TableEdmTests
{
    [Fact]
    public void Serialize_AnnotatesTypesJsonCannotCarry()
    {
        var entity = new TableEntity("p", "r")
        {
            ["Name"] = "x",
            ["Count"] = 3,
            ["Big"] = 9_007_199_254_740_993L,
            ["Ratio"] = 2.0,
            ["At"] = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.FromHours(10)).AddTicks(1234567),
            ["Id"] = Guid.Parse("8c5b2a9e-0d6c-4c1b-9a57-5f1d3e2b7a10"),
            ["Blob"] = new byte[] { 1, 2, 255 },
            ["Ok"] = true,
        };

        var json = Encoding.UTF8.GetString(TableEdm.Serialize(entity));

        Assert.Equal(
            """{"PartitionKey":"p","RowKey":"r","At@odata.type":"Edm.DateTime","At":"2026-11-21T15:02:03.1234567Z","Big@odata.type":"Edm.Int64","Big":"9007199254740993","Blob@odata.type":"Edm.Binary","Blob":"AQL/","Count":3,"Id@odata.type":"Edm.Guid","Id":"8c5b2a9e-0d6c-4c1b-9a57-5f1d3e2b7a10","Name":"x","Ok":true,"Ratio@odata.type":"Edm.Double","Ratio":2}""",
            json);
    }

    [Fact]
    public void Read_MinimalMetadata_RestoresEveryType()
    {
        const string json = """
            {"odata.etag":"W/\"datetime'2026-11-22T01%3A02%3A03.1Z'\"","PartitionKey":"p","RowKey":"r","Timestamp":"2026-11-22T01:02:03.1Z",
             "Name":"x","Count":3,"Big@odata.type":"Edm.Int64","Big":"9007199254740993","Ratio@odata.type":"Edm.Double","Ratio":2,
             "Half":0.5,"At@odata.type":"Edm.DateTime","At":"2026-11-21T15:02:03.1234567Z","Id@odata.type":"Edm.Guid",
             "Id":"8c5b2a9e-0d6c-4c1b-9a57-5f1d3e2b7a10","Blob@odata.type":"Edm.Binary","Blob":"AQL/","Ok":false,
             "Nan@odata.type":"Edm.Double","Nan":"NaN"}
            """;

        var entity = TableEdm.Read(JsonDocument.Parse(json).RootElement);

        Assert.Equal("p", entity.PartitionKey);
        Assert.Equal("r", entity.RowKey);
        Assert.Equal("W/\"datetime'2026-11-22T01%3A02%3A03.1Z'\"", entity.ETag.ToString());
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 2, 3, 100, TimeSpan.Zero), entity.Timestamp);
        Assert.Equal("x", entity.GetString("Name"));
        Assert.Equal(3, entity.GetInt32("Count"));
        Assert.Equal(9_007_199_254_740_993L, entity.GetInt64("Big"));
        Assert.IsType<double>(entity["Ratio"]);
        Assert.Equal(2.0, entity.GetDouble("Ratio"));
        Assert.Equal(0.5, entity.GetDouble("Half"));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 15, 2, 3, TimeSpan.Zero).AddTicks(1234567), entity.GetDateTimeOffset("At"));
        Assert.Equal(Guid.Parse("8c5b2a9e-0d6c-4c1b-9a57-5f1d3e2b7a10"), entity.GetGuid("Id"));
        Assert.Equal(new byte[] { 1, 2, 255 }, entity.GetBinary("Blob"));
        Assert.False(entity.GetBoolean("Ok"));
        Assert.True(double.IsNaN(entity.GetDouble("Nan")!.Value));
        Assert.Equal(10, entity.Count);
    }

    [Fact]
    public void Serialize_NonFiniteDoubles_UseTheServiceSpelling()
    {
        var entity = new TableEntity("p", "r") { ["A"] = double.PositiveInfinity, ["B"] = double.NegativeInfinity, ["C"] = double.NaN };

        var json = Encoding.UTF8.GetString(TableEdm.Serialize(entity));

        Assert.Contains("\"A\":\"Infinity\"", json, StringComparison.Ordinal);
        Assert.Contains("\"B\":\"-Infinity\"", json, StringComparison.Ordinal);
        Assert.Contains("\"C\":\"NaN\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Entity_RejectsUnsupportedTypesAndNullsAtOnce()
    {
        var entity = new TableEntity("p", "r");

        Assert.Throws<ArgumentException>(() => entity["When"] = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Throws<ArgumentException>(() => entity["Money"] = 1.5m);
        Assert.Throws<ArgumentNullException>(() => entity["Nothing"] = null!);
        Assert.Throws<ArgumentException>(() => entity["PartitionKey"] = "x");
    }

    [Fact]
    public void Entity_TypedGetter_OnWrongType_SaysWhatItHolds()
    {
        var entity = new TableEntity("p", "r") { ["Count"] = "seven" };

        var error = Assert.Throws<InvalidOperationException>(() => entity.GetInt64("Count"));

        Assert.Contains("Edm.String", error.Message, StringComparison.Ordinal);
    }
}
