using System.Text;
using Rtgf.Register.Search;
using Rtgf.Testing;

namespace Rtgf.Register.Tests.Search;

public sealed class HostileInputTests(SearchIndexFixture fixture) : IClassFixture<SearchIndexFixture>
{
    private static readonly string[] Pieces =
    [
        "*", "?", "~", "~2", "\"", "\\", "OR", "AND", "NOT", "' OR 1=1 --", "title:*", "code:[a TO z]", "+", "-", "&&", "||", "(", ")", "{", "}",
        "[", "]", "^", "^10", "/.*/", "%", "_", ";", "--", "/*", "*/", "\0", "\u200F", "\u202E", "\u200D", "\uFEFF", "🎓", "👩‍🔧", "\uD800",
        "\uDC00", "ß", "İ", "ﬁ", "مرحبا", "大学", "Ｂｕｓｉｎｅｓｓ", "BSB50120", "diploma", "51 824 753 556", " ", "\t", "\r\n", "<script>",
        "${jndi:ldap://x}", "%00", "\u0301", new string('a', 300), new string('9', 40), "a~1 b*",
    ];

    [Theory]
    [InlineData("*")]
    [InlineData("~")]
    [InlineData("\"")]
    [InlineData("\\")]
    [InlineData("OR")]
    [InlineData("' OR 1=1 --")]
    [InlineData("\u200F\u200E")]
    [InlineData("🎓🎓")]
    [InlineData("\0")]
    [InlineData("title:diploma")]
    [InlineData("diploma~")]
    [InlineData("\"diploma of business\"")]
    public async Task QuerySyntax_IsNeverInterpreted(string text)
    {
        var results = await fixture.Index.SearchAsync(new SearchQuery(text), 0, 20);

        Assert.Equal(results.Total > 0, results.Hits.Count > 0);
        Assert.DoesNotContain(results.Hits, h => h.Score >= 100_000 && h.Code != "BSB50120");
    }

    [Theory]
    [InlineData("*")]
    [InlineData("?")]
    [InlineData("\"\"")]
    [InlineData("\\")]
    [InlineData("--")]
    [InlineData("🎓")]
    [InlineData("\uD800")]
    public async Task PunctuationOnly_FindsNothing_RatherThanEverything(string text)
    {
        Assert.Equal(0, (await fixture.Index.SearchAsync(new SearchQuery(text), 0, 10)).Total);
    }

    [Theory]
    [InlineData("\0")]
    [InlineData("\u200F\u200E")]
    [InlineData("\uFEFF \t\r\n")]
    public async Task InvisibleOnly_IsBlank_AndBrowses(string text)
    {
        Assert.Equal(fixture.Documents.Count, (await fixture.Index.SearchAsync(new SearchQuery(text), 0, 10)).Total);
    }

    [Fact]
    public async Task SyntaxAroundWords_LeavesTheWords()
    {
        var plain = await fixture.AllAsync(new SearchQuery("diploma of business"));

        foreach (var text in new[] { "\"diploma of business\"", "diploma* OR business~", "+diploma -of (business)", "\u202Ediploma\u200F of\0business" })
        {
            var hostile = await fixture.AllAsync(new SearchQuery(text));
            Assert.Equal("BSB50120", hostile.Hits[0].Code);
            Assert.Equal(plain.Total, hostile.Total);
        }
    }

    [Fact]
    public async Task InvisibleCharacters_InsideACode_AreIgnored()
    {
        var hits = (await fixture.Index.SearchAsync(new SearchQuery("BSB\u200B50120\u200F"), 0, 5)).Hits;

        Assert.Equal("BSB50120", hits[0].Code);
    }

    [Fact]
    public async Task TextBeyondTheLimit_IsIgnored()
    {
        var text = "diploma business" + new string(' ', LuceneCatalogueSearch.MaxTextLength) + "zzzzqqqq";

        var results = await fixture.Index.SearchAsync(new SearchQuery(text), 0, 5);

        Assert.Equal("BSB50120", results.Hits[0].Code);
    }

    [Fact]
    public async Task ANullText_Browses()
    {
        var results = await fixture.Index.SearchAsync(new SearchQuery(null!), 0, 1);

        Assert.Equal(fixture.Documents.Count, results.Total);
    }

    [Fact]
    public async Task ThreeThousandGeneratedStrings_NeverThrow()
    {
        var random = new SeededRandom(15);
        var answered = 0;
        for (var i = 0; i < 3_000; i++)
        {
            var text = Generate(random);
            var query = new SearchQuery(text, Kind: random.Next(0, 4) == 0 ? Generate(random) : null, State: random.Next(0, 4) == 0 ? Generate(random) : null);
            var limit = random.Next(0, 50);
            var results = await fixture.Index.SearchAsync(query, random.Next(0, 100), limit);
            Assert.InRange(results.Hits.Count, 0, limit);
            Assert.InRange(results.Total, 0, fixture.Documents.Count);
            answered += results.Total > 0 ? 1 : 0;
        }

        Assert.True(answered > 100, $"some generated strings contain real words and find something ({answered})");
    }

    private static string Generate(SeededRandom random)
    {
        var builder = new StringBuilder();
        var pieces = random.Next(0, 12);
        for (var p = 0; p < pieces; p++)
        {
            switch (random.Next(0, 3))
            {
                case 0:
                    builder.Append(Pieces[random.Next(0, Pieces.Length)]);
                    break;
                case 1:
                    builder.Append((char)random.Next(0, 0x10000)); // anything, lone surrogates and controls included
                    break;
                default:
                    builder.Append((char)random.Next(0x20, 0x7F));
                    break;
            }

            if (random.Next(0, 2) == 0)
            {
                builder.Append(' ');
            }
        }

        return builder.ToString();
    }
}
