using System.Text;
using Rtgf.Ingestion.AusTender;

namespace Rtgf.Ingestion.Tests.AusTender;

public sealed class AtmRssParserTests
{
    private static readonly Uri Feed = new("https://www.tenders.gov.au/public_data/rss/rss.xml");

    private static MemoryStream Rss(string category, string link) => new(Encoding.UTF8.GetBytes($"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>ATM</title>
          <item><title>Training services</title><link>{link}</link><pubDate>Mon, 02 Jun 2025 01:00:00 GMT</pubDate>
            <category>{category}</category>
            <description>ATM ID: DEWR-25-1
        Agency: Department of Employment and Workplace Relations
        Close Date: 2025-06-30T05:00:00Z
        Delivery of VET training</description></item>
        </channel></rss>
        """));

    [Fact]
    public void Parse_EightDigitCategoryAndRelativeLink_Kept()
    {
        using var stream = Rss("86101700", "/Atm/Show/abc");

        var tender = Assert.Single(AtmRssParser.Parse(stream, Feed));

        Assert.Equal(["86101700"], tender.Categories);
        Assert.Equal("https://www.tenders.gov.au/Atm/Show/abc", tender.Url);
    }

    [Theory]
    [InlineData("Education and Training Services")]
    [InlineData("861017")]
    [InlineData("8610170012")]
    public void Parse_CategoryNotAnEightDigitUnspscCode_NamesTheItem(string category)
    {
        using var stream = Rss(category, "/Atm/Show/abc");

        var error = Assert.Throws<UpstreamFormatException>(() => AtmRssParser.Parse(stream, Feed));

        Assert.Contains("item 1 ('Training services') (ATM DEWR-25-1)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"category '{category}' is not an 8-digit UNSPSC code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LinkNotAUrl_IsAFormatError()
    {
        using var stream = Rss("86101700", "http://[not a host]/x");

        var error = Assert.Throws<UpstreamFormatException>(() => AtmRssParser.Parse(stream, Feed));

        Assert.Contains("link 'http://[not a host]/x' is not a URL", error.Message, StringComparison.Ordinal);
    }
}
