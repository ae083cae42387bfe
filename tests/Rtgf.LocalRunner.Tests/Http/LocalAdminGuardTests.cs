using Microsoft.AspNetCore.Http;
using Rtgf.LocalRunner.Http;

namespace Rtgf.LocalRunner.Tests.Http;

public sealed class LocalAdminGuardTests
{
    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    public void Json_FromLocalhost_IsAllowed(string contentType) => Assert.Null(LocalAdminGuard.Refusal(Request(contentType)));

    [Theory]
    [InlineData("http://localhost:7071")]
    [InlineData("http://127.0.0.1:5173")]
    [InlineData("http://[::1]:8080")]
    public void Json_WithALocalOrigin_IsAllowed(string origin) => Assert.Null(LocalAdminGuard.Refusal(Request("application/json", origin)));

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/jsonp")]
    public void SimpleRequestContentTypes_Are415(string? contentType)
    {
        var refusal = LocalAdminGuard.Refusal(Request(contentType));

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, refusal?.Status);
        Assert.Contains("application/json", refusal!.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("null")]
    [InlineData("not a url")]
    public void ForeignOrigin_Is403EvenWithJson(string origin) =>
        Assert.Equal(StatusCodes.Status403Forbidden, LocalAdminGuard.Refusal(Request("application/json", origin))?.Status);

    [Fact]
    public void ForeignHost_Is403_AgainstDnsRebinding() =>
        Assert.Equal(StatusCodes.Status403Forbidden, LocalAdminGuard.Refusal(Request("application/json", host: "rebind.evil.example:7071"))?.Status);

    private static HttpRequest Request(string? contentType, string? origin = null, string host = "localhost:7071")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.Host = new HostString(host);
        context.Request.ContentType = contentType;
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return context.Request;
    }
}
