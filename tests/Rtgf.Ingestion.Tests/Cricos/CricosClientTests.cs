using Rtgf.Ingestion.Cricos;
using Rtgf.Ingestion.Tests.Support;

namespace Rtgf.Ingestion.Tests.Cricos;

public sealed class CricosClientTests
{
    [Fact]
    public async Task GetSnapshot_ServerFailsOnceThenServesTheZip_RetriesAndParses()
    {
        var zip = CricosZip.Build();
        await using var server = await LoopbackServer.StartAsync(async (c, n) =>
        {
            if (n == 1)
            {
                c.Response.StatusCode = 503;
                return;
            }

            c.Response.ContentType = "application/zip";
            await c.Response.Body.WriteAsync(zip);
        });
        using var connector = new Connector(server);
        var client = new CricosClient(connector.Http);

        var snapshot = await Wait.DriveAsync(client.GetSnapshotAsync(new Uri(server.BaseAddress, "dataset/cricos.zip")), connector.Time, TimeSpan.FromMinutes(1));

        Assert.Equal(2, snapshot.Providers.Count);
        Assert.Equal(2, server.Count);
        Assert.All(server.Received, r => Assert.Equal("/dataset/cricos.zip", r.PathAndQuery));
    }

    [Fact]
    public async Task GetSnapshot_NotFound_ThrowsHttpError()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) =>
        {
            c.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        using var connector = new Connector(server);

        await Assert.ThrowsAsync<HttpRequestException>(() => new CricosClient(connector.Http).GetSnapshotAsync(new Uri(server.BaseAddress, "missing.zip")));
        Assert.Equal(1, server.Count);
    }
}
