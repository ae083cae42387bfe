using Rtgf.Ingestion.Sanctions;
using Rtgf.Ingestion.Tests.Support;

namespace Rtgf.Ingestion.Tests.Sanctions;

public sealed class DfatClientTests
{
    [Fact]
    public async Task GetList_ConnectionDroppedOnce_RetriesAndParsesTheWholeList()
    {
        var xlsx = Xlsx.Build(DfatConsolidatedListParserTests.Rows());
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                c.Abort();
                return;
            }

            c.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            await c.Response.Body.WriteAsync(xlsx);
        });
        using var connector = new Connector(server);

        var list = await Wait.DriveAsync(new DfatClient(connector.Http).GetListAsync(new Uri(server.BaseAddress, "sites/default/files/regulation8_consolidated.xlsx")), connector.Time, TimeSpan.FromMinutes(1));

        Assert.Equal(["9", "101"], list.Listings.Select(l => l.Reference));
        Assert.Equal(2, server.Count);
    }
}
