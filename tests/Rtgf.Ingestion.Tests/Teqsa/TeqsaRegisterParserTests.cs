using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Teqsa;
using Rtgf.Ingestion.Tests.Support;

namespace Rtgf.Ingestion.Tests.Teqsa;

public sealed class TeqsaRegisterParserTests
{
    [Fact]
    public void ParseProvider_ProviderPage_ReadsLabelledFieldsAndCourses()
    {
        var provider = TeqsaRegisterParser.ParseProvider(Fixture.Text("teqsa-provider.html"), "fixture");

        Assert.Equal("teqsa-provider:PRV99999", provider.Key);
        Assert.Equal("Example Institute of Higher Education Pty Ltd", provider.Name);
        Assert.Equal("12345678901", provider.Abn);
        Assert.Equal("Institute of Higher Education", provider.Category);
        Assert.Equal("None", provider.SelfAccreditingAuthority);
        Assert.Equal("Registered", provider.Status);
        Assert.Equal(new DateOnly(2029, 6, 30), provider.RegistrationExpiry);
        Assert.Equal("https://example.edu.au", provider.Website);
        Assert.Equal(["Bachelor of Business", "Master of Business Administration"], provider.Courses.Select(c => c.Title));
        Assert.Null(provider.Courses[0].RenewalDate);
        Assert.Equal(new DateOnly(2028, 12, 31), provider.Courses[1].RenewalDate);
    }

    [Fact]
    public void ParseProvider_ProviderPage_WritesFixedMemberOrder()
    {
        var provider = TeqsaRegisterParser.ParseProvider(Fixture.Text("teqsa-provider.html"), "fixture");

        var json = System.Text.Encoding.UTF8.GetString(SnapshotJson.ToUtf8(provider));

        Assert.StartsWith("""{"abn":"12345678901","category":"Institute of Higher Education","courses":[{"renewalDate":null,"status":"Accreditation ongoing pending renewal","title":"Bachelor of Business"}""", json, StringComparison.Ordinal);
        Assert.EndsWith(""","providerId":"PRV99999","registrationExpiry":"2029-06-30","selfAccreditingAuthority":"None","status":"Registered","website":"https://example.edu.au"}""", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseProviderLinks_RegisterPage_ReturnsDistinctSortedProviderLinks()
    {
        var links = TeqsaRegisterParser.ParseProviderLinks(Fixture.Text("teqsa-register.html"));

        Assert.Equal(["/national-register/provider/example-institute-higher-education", "/national-register/provider/sample-university"], links);
    }

    [Fact]
    public void ParseProvider_NoProviderId_ThrowsNamingTheField()
    {
        var html = Fixture.Text("teqsa-provider.html").Replace("<dt>Provider ID</dt><dd>PRV99999</dd>", string.Empty, StringComparison.Ordinal);

        var error = Assert.Throws<UpstreamFormatException>(() => TeqsaRegisterParser.ParseProvider(html, "fixture"));

        Assert.Contains("Provider ID", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseProvider_MalformedProviderId_Throws()
    {
        var html = Fixture.Text("teqsa-provider.html").Replace("PRV99999", "12345", StringComparison.Ordinal);

        Assert.Throws<UpstreamFormatException>(() => TeqsaRegisterParser.ParseProvider(html, "fixture"));
    }

    [Fact]
    public void ParseProvider_TruncatedPage_ThrowsRatherThanGuessing()
    {
        var html = Fixture.Text("teqsa-provider.html");

        Assert.Throws<UpstreamFormatException>(() => TeqsaRegisterParser.ParseProvider(html[..html.IndexOf("<dl", StringComparison.Ordinal)], "fixture"));
    }

    [Fact]
    public void ParseProvider_UnreadableDate_ThrowsWithTheValue()
    {
        var html = Fixture.Text("teqsa-provider.html").Replace("30 June 2029", "mid 2029", StringComparison.Ordinal);

        var error = Assert.Throws<UpstreamFormatException>(() => TeqsaRegisterParser.ParseProvider(html, "fixture"));

        Assert.Contains("mid 2029", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseProvider_NoHeading_Throws()
    {
        var html = Fixture.Text("teqsa-provider.html").Replace("<h1>", "<p>", StringComparison.Ordinal).Replace("</h1>", "</p>", StringComparison.Ordinal);

        var error = Assert.Throws<UpstreamFormatException>(() => TeqsaRegisterParser.ParseProvider(html, "fixture"));

        Assert.Contains("h1", error.Message, StringComparison.Ordinal);
    }
}
