using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Ingestion.AusTender;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Tests.AusTender;

public sealed class OcdsReleaseParserTests
{
    /// <summary>The composed example release of upstream-sources §6.</summary>
    internal static JsonObject Release() => JsonNode.Parse("""
        {"ocid":"prod-0a1b2c3d","id":"prod-0a1b2c3d-9f8e","date":"2025-05-02T04:10:00Z","tag":["contract"],
         "initiationType":"tender",
         "parties":[{"id":"p1","name":"Department of Employment and Workplace Relations","roles":["procuringEntity"],
                     "additionalIdentifiers":[{"scheme":"AU-ABN","id":"00000000001"}]},
                    {"id":"p2","name":"Example Training Pty Ltd","roles":["supplier"],
                     "additionalIdentifiers":[{"scheme":"AU-ABN","id":"12 345 678 901"}]}],
         "awards":[{"id":"a1","status":"active","suppliers":[{"id":"p2","name":"Example Training Pty Ltd"}]}],
         "contracts":[{"id":"CN4099999","awardID":"a1","title":"EWR-25-001","description":"Delivery of VET training services",
           "dateSigned":"2025-04-28T00:00:00Z","status":"active","value":{"amount":"148500.00","currency":"AUD"},
           "period":{"startDate":"2025-05-01T00:00:00Z","endDate":"2026-04-30T00:00:00Z"},
           "items":[{"classification":{"scheme":"UNSPSC","id":"86101700"}},{"classification":{"scheme":"UNSPSC","id":"80101507"}}]}],
         "tender":{"procurementMethod":"limited","procurementMethodDetails":"Limited tender"}}
        """)!.AsObject();

    internal static byte[] Page(params JsonObject[] releases) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["releases"] = new JsonArray([.. releases]) }.ToJsonString());

    [Fact]
    public void Parse_ExampleRelease_GivesTheSeamsContractRecord()
    {
        var page = OcdsReleaseParser.Parse(Page(Release()));

        var contract = Assert.Single(page.Contracts);
        Assert.Equal("contract:CN4099999", contract.Key);
        Assert.Equal("12345678901", contract.Suppliers.Single().Abn);
        Assert.Equal("00000000001", contract.Buyer!.Abn);
        Assert.Equal(["80101507", "86101700"], contract.Categories);
        Assert.Equal(148500m, contract.Value);
        var json = JsonNode.Parse(SnapshotJson.ToUtf8(contract))!.AsObject();
        Assert.Equal("148500", (string)json["value"]!);
        Assert.Equal("2025-05-02T04:10:00Z", (string)json["lastModified"]!);
        Assert.Equal("prod-0a1b2c3d-9f8e", (string)json["releaseId"]!);
        Assert.Equal(
            ["amendments", "buyer", "buyerRtoCodes", "categories", "contractId", "currency", "dateSigned", "description", "endDate", "lastModified", "ocid", "procurementMethod", "releaseId", "rtoCodes", "startDate", "suppliers", "title", "value"],
            json.Select(p => p.Key));
        Assert.Empty(page.Notes);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { """{"remove":"ocid"}""", "$.releases[0].ocid is missing" },
        { """{"remove":"date"}""", "$.releases[0].date is missing" },
        { """{"contractId":null}""", "$.releases[0].contracts[0].id is missing" },
        { """{"amount":true}""", "$.releases[0].contracts[0].value.amount is not a number or decimal string (true)" },
        { """{"amount":"lots"}""", "$.releases[0].contracts[0].value.amount is not a number or decimal string" },
        { """{"amount":{"v":1}}""", "$.releases[0].contracts[0].value.amount is not a number or decimal string" },
        { """{"contractId":"CN40/99"}""", "$.releases[0].contracts[0].id 'CN40/99' is not a contract id" },
        { """{"contractId":"CN 4099999"}""", "$.releases[0].contracts[0].id 'CN 4099999' is not a contract id" },
        { """{"currency":"AU"}""", "$.releases[0].contracts[0].value.currency 'AU' is not a three-letter currency code" },
        { """{"supplierRef":"p9"}""", "$.releases[0].awards[0].suppliers[0].id names party 'p9'" },
        { """{"dateSigned":"yesterday"}""", "$.releases[0].contracts[0].dateSigned 'yesterday' is not an ISO 8601 date" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_MalformedRelease_NamesTheReleaseAndPath(string change, string expected)
    {
        var release = Release();
        var edit = JsonNode.Parse(change)!.AsObject();
        var contract = release["contracts"]![0]!.AsObject();
        foreach (var (name, value) in edit)
        {
            switch (name)
            {
                case "remove": release.Remove((string)value!); break;
                case "contractId": contract["id"] = value?.DeepClone(); break;
                case "amount": contract["value"]!["amount"] = value?.DeepClone(); break;
                case "currency": contract["value"]!["currency"] = value?.DeepClone(); break;
                case "supplierRef": release["awards"]![0]!["suppliers"]![0]!["id"] = value?.DeepClone(); break;
                case "dateSigned": contract["dateSigned"] = value?.DeepClone(); break;
            }
        }

        var error = Assert.Throws<UpstreamFormatException>(() => OcdsReleaseParser.Parse(Page(release)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("release prod-0a1b2c3d-9f8e", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("148500", "148500")]
    [InlineData("148500.50", "148500.5")]
    [InlineData("1.485E5", "148500")]
    public void Parse_NumericAmount_AcceptedAsOcdsTypesIt(string number, string expected)
    {
        var release = Release();
        release["contracts"]![0]!["value"]!["amount"] = JsonNode.Parse(number);

        var contract = Assert.Single(OcdsReleaseParser.Parse(Page(release)).Contracts);

        Assert.Equal(expected, (string)JsonNode.Parse(SnapshotJson.ToUtf8(contract))!["value"]!);
    }

    [Theory]
    [InlineData("CN4099999")]
    [InlineData("CN4099999-A1")]
    [InlineData("CN4099999.1")]
    public void Parse_ContractIdOfLettersDigitsAndSeparators_Accepted(string id)
    {
        var release = Release();
        release["contracts"]![0]!["id"] = id;

        Assert.Equal(id, Assert.Single(OcdsReleaseParser.Parse(Page(release)).Contracts).ContractId);
    }

    [Fact]
    public void Parse_NonAudCurrency_KeptAsIs()
    {
        var release = Release();
        release["contracts"]![0]!["value"]!["currency"] = "USD";

        Assert.Equal("USD", Assert.Single(OcdsReleaseParser.Parse(Page(release)).Contracts).Currency);
    }

    [Theory]
    [InlineData("12 345 678 901", "12345678901", false)]
    [InlineData("12345678901", "12345678901", false)]
    [InlineData("N/A", null, true)]
    [InlineData("1234567890", null, true)]
    [InlineData("", null, false)]
    public void NormaliseAbn_ElevenDigitsOrNullWithReason(string text, string? expected, bool hasReason)
    {
        Assert.Equal(expected, OcdsReleaseParser.NormaliseAbn(text, out var reason));
        Assert.Equal(hasReason, reason is not null);
    }

    [Fact]
    public void Parse_AbnNotAnAbn_PartyKeptWithoutAbnAndNoted()
    {
        var release = Release();
        release["parties"]![1]!["additionalIdentifiers"]![0]!["id"] = "N/A";

        var page = OcdsReleaseParser.Parse(Page(release));

        Assert.Null(Assert.Single(page.Contracts).Suppliers.Single().Abn);
        Assert.Contains("'N/A' is not an 11-digit ABN", Assert.Single(page.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotJsonOrNoReleases_Throws()
    {
        Assert.Throws<UpstreamFormatException>(() => OcdsReleaseParser.Parse("{\"releases\":[{\"ocid\""u8));
        Assert.Throws<UpstreamFormatException>(() => OcdsReleaseParser.Parse("{\"uri\":\"x\"}"u8));
    }

    [Fact]
    public void IsEmptyWindow_OnlyErrorCode100()
    {
        Assert.True(OcdsReleaseParser.IsEmptyWindow("""{"errorCode":100,"message":"No Records found for Date Range"}"""u8));
        Assert.False(OcdsReleaseParser.IsEmptyWindow("""{"errorCode":101,"message":"Invalid"}"""u8));
        Assert.False(OcdsReleaseParser.IsEmptyWindow("Bad request"u8));
    }

    [Fact]
    public void Merge_LaterReleaseWinsAmendmentsAccumulateAndReplayChangesNothing()
    {
        var first = Assert.Single(OcdsReleaseParser.Parse(Page(Release())).Contracts);
        var amended = Release();
        amended["id"] = "prod-0a1b2c3d-a1";
        amended["date"] = "2025-06-01T00:00:00Z";
        amended["tag"] = new JsonArray("contractAmendment");
        amended["contracts"]![0]!["value"]!["amount"] = "160000.00";
        amended["contracts"]![0]!["amendments"] = JsonNode.Parse("""[{"id":"A1","releaseID":"prod-0a1b2c3d-a1","date":"2025-06-01T00:00:00Z"}]""");
        var second = Assert.Single(OcdsReleaseParser.Parse(Page(amended)).Contracts);

        var merged = ContractNoticeRecord.Merge(first, second);

        Assert.Equal(160000m, merged.Value);
        Assert.Equal("prod-0a1b2c3d-a1", merged.ReleaseId);
        Assert.Equal("A1", Assert.Single(merged.Amendments).Id);
        Assert.Equal(SnapshotJson.ToUtf8(merged), SnapshotJson.ToUtf8(ContractNoticeRecord.Merge(second, first)));
        Assert.Equal(SnapshotJson.ToUtf8(merged), SnapshotJson.ToUtf8(ContractNoticeRecord.Merge(merged, second)));
        Assert.Equal(SnapshotJson.ToUtf8(merged), SnapshotJson.ToUtf8(ContractNoticeRecord.Merge(merged, first)));
    }

    /// <summary>A release of the example contract carrying <paramref name="amendments"/> (OCDS lists are cumulative).</summary>
    private static ContractNoticeRecord Amended(string releaseId, string date, string amendments)
    {
        var release = Release();
        release["id"] = releaseId;
        release["date"] = date;
        release["contracts"]![0]!["amendments"] = JsonNode.Parse(amendments);
        return Assert.Single(OcdsReleaseParser.Parse(Page(release)).Contracts);
    }

    [Fact]
    public void Merge_AmendmentsKeyedById_SeveralPerReleaseWithoutReleaseIdAndCumulativeLists()
    {
        // Two amendments in one release, neither naming its release; then a release repeating both and adding a third.
        var r1 = Amended("r1", "2025-06-01T00:00:00Z", """[{"id":"A1","date":"2025-06-01T00:00:00Z"},{"id":"A2","date":"2025-06-01T00:00:00Z"}]""");
        var r2 = Amended("r2", "2025-07-01T00:00:00Z", """[{"id":"A1","date":"2025-06-01T00:00:00Z"},{"id":"A2","date":"2025-06-01T00:00:00Z"},{"id":"A3","date":"2025-07-01T00:00:00Z"}]""");
        var r3 = Amended("r3", "2025-08-01T00:00:00Z", """[{"id":"A1"},{"id":"A2"},{"id":"A3"},{"id":"A4","releaseID":"r3"}]""");

        Assert.Equal(["A1", "A2"], r1.Amendments.Select(a => a.Id));
        Assert.Equal(SnapshotJson.ToUtf8(r1), SnapshotJson.ToUtf8(ContractNoticeRecord.Merge(r1, r1)));
        var merged = ContractNoticeRecord.Merge(ContractNoticeRecord.Merge(r1, r2), r3);

        // Each amendment once, from the earliest release that carried it.
        Assert.Equal([("A1", "r1"), ("A2", "r1"), ("A3", "r2"), ("A4", "r3")], merged.Amendments.Select(a => (a.Id, a.ReleaseId)));
        Assert.Equal("r3", merged.ReleaseId);
        Assert.Equal(SnapshotJson.ToUtf8(merged), SnapshotJson.ToUtf8(ContractNoticeRecord.Merge(merged, merged)));
        Assert.Equal(SnapshotJson.ToUtf8(merged), SnapshotJson.ToUtf8(ContractNoticeRecord.Merge(r3, ContractNoticeRecord.Merge(r2, r1))));
        Assert.Equal(SnapshotJson.ToUtf8(merged), SnapshotJson.ToUtf8(ContractNoticeRecord.Merge(ContractNoticeRecord.Merge(r2, r3), r1)));
        Assert.Equal(SnapshotJson.ToUtf8(merged), SnapshotJson.ToUtf8(ContractNoticeRecord.Merge(merged, r2)));
    }

    [Fact]
    public void Read_RoundTripsTheWrittenJson()
    {
        var contract = Assert.Single(OcdsReleaseParser.Parse(Page(Release())).Contracts) with { RtoCodes = ["90001"], BuyerRtoCodes = ["90002"] };
        using var document = System.Text.Json.JsonDocument.Parse(SnapshotJson.ToUtf8(contract));

        Assert.Equal(SnapshotJson.ToUtf8(contract), SnapshotJson.ToUtf8(ContractNoticeRecord.Read(document.RootElement)));
    }
}
