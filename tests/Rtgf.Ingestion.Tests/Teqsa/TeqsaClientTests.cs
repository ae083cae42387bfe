using Microsoft.AspNetCore.Http;
using Rtgf.Ingestion.Teqsa;
using Rtgf.Ingestion.Tests.Support;

namespace Rtgf.Ingestion.Tests.Teqsa;

public sealed class TeqsaClientTests
{
    [Fact]
    public async Task GetProviderLinksThenProvider_RegisterServer_ReadsTheProvider()
    {
        await using var server = await LoopbackServer.StartAsync(async (c, _) =>
        {
            c.Response.ContentType = "text/html; charset=utf-8";
            await c.Response.WriteAsync(c.Request.Path.Value!.Contains("/provider/", StringComparison.Ordinal) ? Fixture.Text("teqsa-provider.html") : Fixture.Text("teqsa-register.html"));
        });
        using var connector = new Connector(server);
        var client = new TeqsaClient(connector.Http);

        var links = await client.GetProviderLinksAsync();
        var provider = await client.GetProviderAsync(links[0]);

        Assert.Equal("PRV99999", provider.ProviderId);
        Assert.Equal(["/national-register", "/national-register/provider/example-institute-higher-education"], server.Received.Select(r => r.PathAndQuery));
    }
}
