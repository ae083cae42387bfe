using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Ingestion.Abs;

namespace Rtgf.Ingestion.Tests.Abs;

public sealed class SdmxJsonParserTests
{
    private const string Flow = "ABS,LF,1.0.0";

    /// <summary>Two series (NSW, Australia) of the unemployment rate over three months; the units at dataSet level.</summary>
    private static JsonObject Message() => JsonNode.Parse("""
        {"meta":{"id":"IREF1"},"data":{
          "dataSets":[{"action":"Information","attributes":[0,null],"series":{
            "0:0:0":{"observations":{"0":[4.1,null],"1":[4.25,0],"2":[4.0,null]}},
            "0:1:0":{"observations":{"2":[3.9]}}}}],
          "structure":{"name":"Labour Force","dimensions":{"dataSet":[],
            "series":[{"id":"MEASURE","values":[{"id":"M13","name":"Unemployment rate"}]},
                      {"id":"REGION","values":[{"id":"1","name":"New South Wales"},{"id":"AUS","name":"Australia"}]},
                      {"id":"FREQ","values":[{"id":"M","name":"Monthly"}]}],
            "observation":[{"id":"TIME_PERIOD","values":[{"id":"2025-01"},{"id":"2025-02"},{"id":"2025-03"}]}]},
          "attributes":{"dataSet":[{"id":"UNIT_MEASURE","values":[{"id":"PCT","name":"Percent"}]},{"id":"UNIT_MULT","values":[{"id":"0","name":"Units"}]}],
                        "series":[],"observation":[{"id":"OBS_STATUS","values":[{"id":"r","name":"Revised"}]}]}}}}
        """)!.AsObject();

    [Fact]
    public void Parse_SeriesKeysInDimensionOrder_StatesUnitsStatusesAndExactDecimals()
    {
        var records = SdmxJsonParser.Parse(Bytes(Message()), Flow);

        Assert.Equal(["M13.1.M", "M13.AUS.M"], records.Select(r => r.SeriesKey));
        var nsw = records[0];
        Assert.Equal(("NSW", "Unemployment rate", "Percent", "labour-series:ABS,LF,1.0.0:M13.1.M"), (nsw.State, nsw.Measure, nsw.Unit, nsw.Key));
        Assert.Equal([("2025-01", 4.1m, (string?)null), ("2025-02", 4.25m, "r"), ("2025-03", 4.0m, null)], nsw.Observations.Select(o => (o.Period, o.Value, o.Status)));
        Assert.Equal(("AUS", "2025-03", 3.9m), (records[1].State, records[1].Observations.Single().Period, records[1].Observations.Single().Value));
    }

    public static TheoryData<string, string> Drifts => new()
    {
        { "series.0:0:0=>0:5:0", "'5' is not a value index of REGION" },
        { "series.0:0:0=>0:0", "2 indexes for 3 series dimensions" },
        { "obs.0:0:0.7", "series M13.1.M, observation '7': not an index of TIME_PERIOD" },
        { "value.0:0:0.1=\"4.2\"", "series M13.1.M, observation '1' (2025-02): the value \"4.2\" is not a number" },
        { "value.0:0:0.1=null", "the value null is not a number" },
        { "obs.0:0:0.01", "series M13.1.M, observation '01': period 2025-02 appears twice" },
        { "time.duplicate", "the period 2025-01 appears twice in TIME_PERIOD" },
        { "time.rename", "the observation dimension must be TIME_PERIOD alone, not [TIME]" },
        { "structure.remove", "data has dataSets but no structure" },
        { "region.code", "series M13.9.M: REGION '9' is not a state code" },
        { "status.index", "series M13.1.M, observation '1' OBS_STATUS: 3 is not an index of OBS_STATUS" },
        { "unit.remove", "series M13.1.M: no UNIT_MEASURE attribute" },
    };

    [Theory]
    [MemberData(nameof(Drifts))]
    public void Parse_Drifted_IsRejectedNamingSeriesAndObservation(string drift, string expected)
    {
        var message = Message();
        var data = message["data"]!;
        var series = data["dataSets"]![0]!["series"]!.AsObject();
        var structure = data["structure"]!;
        switch (drift)
        {
            case "series.0:0:0=>0:5:0":
            case "series.0:0:0=>0:0":
                var moved = series["0:0:0"]!.DeepClone();
                series.Remove("0:0:0");
                series[drift.Split("=>")[1]] = moved;
                break;
            case "obs.0:0:0.7":
                series["0:0:0"]!["observations"]!["7"] = new JsonArray(1.0);
                break;
            case "obs.0:0:0.01":
                series["0:0:0"]!["observations"]!["01"] = new JsonArray(1.0);
                break;
            case "value.0:0:0.1=\"4.2\"":
                series["0:0:0"]!["observations"]!["1"] = new JsonArray("4.2");
                break;
            case "value.0:0:0.1=null":
                series["0:0:0"]!["observations"]!["1"] = new JsonArray((JsonNode?)null);
                break;
            case "time.duplicate":
                structure["dimensions"]!["observation"]![0]!["values"]!.AsArray().Add(new JsonObject { ["id"] = "2025-01" });
                break;
            case "time.rename":
                structure["dimensions"]!["observation"]![0]!["id"] = "TIME";
                break;
            case "structure.remove":
                data.AsObject().Remove("structure");
                break;
            case "region.code":
                structure["dimensions"]!["series"]![1]!["values"]![0]!["id"] = "9";
                break;
            case "status.index":
                series["0:0:0"]!["observations"]!["1"] = new JsonArray(4.25, 3);
                break;
            case "unit.remove":
                structure["attributes"]!["dataSet"]!.AsArray().RemoveAt(0);
                data["dataSets"]![0]!["attributes"] = new JsonArray((JsonNode?)null);
                break;
        }

        var error = Assert.Throws<UpstreamFormatException>(() => SdmxJsonParser.Parse(Bytes(message), Flow));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("SDMX-JSON of ABS,LF,1.0.0: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotJson_IsAFormatError()
    {
        var error = Assert.Throws<UpstreamFormatException>(() => SdmxJsonParser.Parse(Encoding.UTF8.GetBytes("""{"data":{"dataSets":[{"""), Flow));

        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
}
