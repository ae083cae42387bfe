using System.Net;
using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>Before the first publication the register is empty: /v1 says so with a 503 and when to come back.</summary>
public sealed class PublicApiUnpublishedTests(UnpublishedAppFixture app) : IClassFixture<UnpublishedAppFixture>
{
    [Theory]
    [InlineData("/v1/rtos")]
    [InlineData("/v1/stats")]
    [InlineData("/v1/components/BSB40120")]
    [InlineData("/v1/search?q=business")]
    public async Task BeforeTheFirstPublication_IsNotReady_WithRetryAfter(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
        Assert.Equal("urn:rtgf:problem:not-ready", (string)(await response.ReadObjectAsync())["type"]!);
    }
}
