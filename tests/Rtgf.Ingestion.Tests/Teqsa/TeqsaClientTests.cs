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

    [Fact]
    public async Task GetProvider_LinksRelativeToTheRegisterPage_FetchesExactlyWhereTheyPoint()
    {
        LoopbackServer? self = null;
        await using var server = await LoopbackServer.StartAsync(async (c, _) =>
        {
            c.Response.ContentType = "text/html; charset=utf-8";
            var authority = self!.BaseAddress.Authority;
            await c.Response.WriteAsync(c.Request.Path.Value!.Contains("/provider/", StringComparison.Ordinal)
                ? Fixture.Text("teqsa-provider.html")
                : $$"""
                    <!DOCTYPE html>
                    <html><body><ul>
                    <li><a href="/national-register/provider/root-relative">A</a></li>
                    <li><a href="//{{authority}}/national-register/provider/network-path">B</a></li>
                    </ul></body></html>
                    """);
        });
        self = server;
        using var connector = new Connector(server, "teqsa/");
        var client = new TeqsaClient(connector.Http);

        foreach (var link in await client.GetProviderLinksAsync())
        {
            await client.GetProviderAsync(link);
        }

        Assert.Equal(
            ["/teqsa/national-register", "/national-register/provider/network-path", "/national-register/provider/root-relative"],
            server.Received.Select(r => r.PathAndQuery));
    }
}
