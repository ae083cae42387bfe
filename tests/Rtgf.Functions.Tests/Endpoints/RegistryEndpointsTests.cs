using System.Net;
using Rtgf.Core.Signing;
using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

public sealed class RegistryEndpointsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Discovery_NamesIssuerKeysLogAndFamilies()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri("/.well-known/rtgf", UriKind.Relative));
        var discovery = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://localhost/.well-known/jwks.json", discovery["jwksUri"]!.GetValue<string>());
        Assert.Equal(api.VerifierKey, discovery["log"]!["publicKey"]!.GetValue<string>());
        Assert.Equal(ApiFixture.Origin, discovery["log"]!["origin"]!.GetValue<string>());
        Assert.Equal([ApiFixture.Family], discovery["families"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(["/.well-known", "/catalog", "/hooks", "/log", "/mcp", "/openapi", "/ops", "/revocations", "/tokens", "/v1", "/verify"],
            discovery["areas"]!.AsArray().Select(a => a!["path"]!.GetValue<string>()));
        Assert.Equal("public, max-age=60", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/.well-known/rtgf")]
    [InlineData("/.well-known/jwks.json")]
    public async Task ConditionalGet_WithTheETag_Is304(string path)
    {
        using var client = api.CreateClient();
        using var first = await client.GetAsync(new Uri(path, UriKind.Relative));
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Jwks_IsThePublishedSet()
    {
        using var client = api.CreateClient();

        var jwks = JsonWebKeySet.Parse(await client.GetByteArrayAsync(new Uri("/.well-known/jwks.json", UriKind.Relative)));

        Assert.True(jwks.TryGetKey(api.PublicationKid, out var key));
        Assert.NotNull(key.Certificate);
        Assert.True(jwks.TryGetKey(api.Issuer.PublicKey.Thumbprint, out _));
    }
}
