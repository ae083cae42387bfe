using System.Net;
using System.Text.Json.Nodes;
using Rtgf.UpstreamSimulator.Dfat;

namespace Rtgf.UpstreamSimulator.Tests.Dfat;

public sealed class DfatEndpointsTests
{
    [Fact]
    public async Task Xlsx_HasTheDocumentedColumns_AndOneRowPerName()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        var rows = XlsxReader.Rows(await http.GetByteArrayAsync("sites/default/files/regulation8_consolidated.xlsx"), out var header);

        Assert.Equal(
            ["Reference", "Name of Individual or Entity", "Type", "Name Type", "Alias Strength", "Date of Birth", "Place of Birth", "Citizenship", "Address",
             "Additional Information", "Listing Information", "IMO Number", "Committees", "Control Date", "Instrument of Designation",
             "Targeted Financial Sanction", "Travel Ban", "Arms Embargo", "Maritime Restriction"],
            header);
        var parties = server.World.Sanctions;
        Assert.Equal(parties.Sum(p => 1 + p.Aliases.Count), rows.Count);
        Assert.Equal(parties.Count, rows.Count(r => r["Name Type"] == "Primary Name"));
        Assert.All(rows.Where(r => r["Name Type"] == "Alias"), r => Assert.Matches("^[0-9]+[a-z]$", r["Reference"]));
        Assert.All(rows, r => Assert.True(int.Parse(r["Control Date"], System.Globalization.CultureInfo.InvariantCulture) > 40000, "Control Date is an Excel serial"));
    }

    [Fact]
    public async Task AddSanction_NewRowsAppearAndTheETagChanges()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        using var before = await http.GetAsync(DfatEndpoints.FilePath.TrimStart('/'));
        var etag = before.Headers.ETag!;

        using var added = await http.PostAsync("_sim/changes", new StringContent("""{"changes":[{"kind":"addSanction","name":"NEWLY, Listed","type":"Individual","aliases":["LISTED, Newly"],"dateOfBirth":"1971","committees":"Russia"}]}"""));
        var reference = JsonNode.Parse(await added.Content.ReadAsStringAsync())!["applied"]![0]!["reference"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, DfatEndpoints.FilePath.TrimStart('/'));
        request.Headers.IfNoneMatch.Add(etag);
        using var after = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(etag, after.Headers.ETag);
        var rows = XlsxReader.Rows(await after.Content.ReadAsByteArrayAsync(), out _);
        var primary = rows.Single(r => r["Reference"] == reference);
        Assert.Equal("NEWLY, Listed", primary["Name of Individual or Entity"]);
        Assert.Equal("Russia", primary["Committees"]);
        Assert.Equal("45839", primary["Control Date"]);
        Assert.Equal("LISTED, Newly", rows.Single(r => r["Reference"] == reference + "a")["Name of Individual or Entity"]);
    }

    [Fact]
    public async Task Xlsx_SameETag_Is304()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);
        using var first = await http.GetAsync(DfatEndpoints.FilePath.TrimStart('/'));

        using var request = new HttpRequestMessage(HttpMethod.Get, DfatEndpoints.FilePath.TrimStart('/'));
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.NotNull(first.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Page_LinksTheXlsxAndSaysWhenItWasUpdated()
    {
        await using var server = await Simulators.SmallAsync();
        using var http = Simulators.Client(server);

        var html = await http.GetStringAsync(DfatEndpoints.PagePath.TrimStart('/'));

        Assert.Contains("href=\"/sites/default/files/regulation8_consolidated.xlsx\"", html, StringComparison.Ordinal);
        Assert.Contains("most recently updated on 26 June 2025", html, StringComparison.Ordinal);
    }
}
