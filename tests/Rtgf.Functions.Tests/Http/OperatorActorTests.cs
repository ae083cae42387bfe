using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Rtgf.Functions.Http;

namespace Rtgf.Functions.Tests.Http;

public sealed class OperatorActorTests
{
    private const string Key = "k3y-value-that-must-never-be-logged";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("false")]
    [InlineData("1")] // the host's key handler accepts only a boolean, so "1" does not make client headers trusted
    [InlineData("yes")]
    public void WithoutEasyAuth_SpoofedPrincipalHeadersAreIgnored(string? enabled)
    {
        var request = Request(("X-MS-CLIENT-PRINCIPAL-ID", "00000000-0000-0000-0000-000000000001"), ("X-MS-CLIENT-PRINCIPAL-NAME", "boss@example.gov.au"));

        Assert.Equal("admin-key", OperatorActor.From(request, Settings(enabled)));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    [InlineData(" TRUE ")]
    public void WithEasyAuth_ThePrincipalIdIsTheActor(string enabled)
    {
        var request = Request(("X-MS-CLIENT-PRINCIPAL-ID", "6f1c2a9e-0000-4000-8000-000000000002"), ("X-MS-CLIENT-PRINCIPAL-NAME", "operator@example.gov.au"));

        Assert.Equal("6f1c2a9e-0000-4000-8000-000000000002", OperatorActor.From(request, Settings(enabled)));
    }

    [Fact]
    public void WithEasyAuth_TheNameIsUsedWhenThereIsNoId()
    {
        var request = Request(("X-MS-CLIENT-PRINCIPAL-NAME", "operator@example.gov.au"));

        Assert.Equal("operator@example.gov.au", OperatorActor.From(request, Settings("true")));
    }

    [Fact]
    public void WithEasyAuth_ButNoPrincipal_TheActorIsTheAdminKey()
    {
        // A caller that used only the master key, with Easy Auth letting unauthenticated requests through.
        Assert.Equal("admin-key", OperatorActor.From(Request(), Settings("true")));
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    [InlineData("bidi\u202Eoverride")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("line\u2028separator")]
    [InlineData("   ")]
    public void WithEasyAuth_AnUnsafeIdFallsBackToTheName(string id)
    {
        var request = Request(("X-MS-CLIENT-PRINCIPAL-ID", id), ("X-MS-CLIENT-PRINCIPAL-NAME", "operator@example.gov.au"));

        Assert.Equal("operator@example.gov.au", OperatorActor.From(request, Settings("true")));
    }

    [Fact]
    public void WithEasyAuth_ABrokenSurrogateIsRefused()
    {
        // Not an [InlineData] case: test discovery would turn the lone surrogate into U+FFFD before the test saw it.
        var request = Request(("X-MS-CLIENT-PRINCIPAL-ID", "lone" + '\uD800' + "surrogate"));

        Assert.Equal("admin-key", OperatorActor.From(request, Settings("true")));
    }

    [Fact]
    public void WithEasyAuth_ValuesAreRefusedAboveTheLimitNotCut()
    {
        var atLimit = new string('a', OperatorActor.MaxLength);
        var overLimit = new string('b', OperatorActor.MaxLength + 1);

        Assert.Equal(atLimit, OperatorActor.From(Request(("X-MS-CLIENT-PRINCIPAL-ID", atLimit)), Settings("true")));
        Assert.Equal("admin-key", OperatorActor.From(Request(("X-MS-CLIENT-PRINCIPAL-ID", overLimit)), Settings("true")));
    }

    [Fact]
    public void WithEasyAuth_NonAsciiNamesAreKept()
    {
        var request = Request(("X-MS-CLIENT-PRINCIPAL-NAME", "Zoë Ngô 😀"));

        Assert.Equal("Zoë Ngô 😀", OperatorActor.From(request, Settings("true")));
    }

    [Fact]
    public void WithEasyAuth_ARepeatedHeaderIsNotBelieved()
    {
        var request = Request();
        request.Headers.Append("X-MS-CLIENT-PRINCIPAL-ID", "first");
        request.Headers.Append("X-MS-CLIENT-PRINCIPAL-ID", "second");

        Assert.Equal("admin-key", OperatorActor.From(request, Settings("true")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("true")]
    public void TheKeyValueIsNeverTheActor(string? enabled)
    {
        var request = Request(("x-functions-key", Key));
        request.QueryString = new QueryString("?code=" + Key);

        var actor = OperatorActor.From(request, Settings(enabled));

        Assert.Equal("admin-key", actor);
        Assert.DoesNotContain(Key, actor, StringComparison.Ordinal);
    }

    private static HttpRequest Request(params (string Name, string Value)[] headers)
    {
        var request = new DefaultHttpContext().Request;
        foreach (var (name, value) in headers)
        {
            request.Headers[name] = value;
        }

        return request;
    }

    private static IConfiguration Settings(string? easyAuthEnabled) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(easyAuthEnabled is null ? [] : [new KeyValuePair<string, string?>("WEBSITE_AUTH_ENABLED", easyAuthEnabled)])
            .Build();
}
