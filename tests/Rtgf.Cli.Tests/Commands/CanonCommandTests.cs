
namespace Rtgf.Cli.Tests.Commands;

public sealed class CanonCommandTests
{
    [Fact]
    public async Task Canon_ValidJson_WritesCanonicalFormWithoutNewline()
    {
        var (exit, output, error) = await RunAsync("{ \"b\": [1.0, 1e21, \"\\u00e9\\n\"], \"a\": -0 }");

        Assert.Equal(CliApp.Valid, exit);
        Assert.Equal("{\"a\":0,\"b\":[1,1e+21,\"\u00e9\\n\"]}", output);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}", "Duplicate member name 'a'")]
    [InlineData("[1e400]", "IEEE-754")]
    [InlineData("{\"a\":1} trailing", "Unexpected data after the JSON value")]
    [InlineData("[9007199254740993]", "2^53-1")]
    [InlineData("[\"\\udc00\"]", "lone surrogate")]
    [InlineData("", "empty")]
    public async Task Canon_BadInput_ExitsTwoWithOneLine(string input, string reason)
    {
        var (exit, output, error) = await RunAsync(input);

        Assert.Equal(CliApp.Failed, exit);
        Assert.Empty(output);
        Assert.StartsWith("rtgf: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Canon_RawLoneSurrogateInInput_ExitsTwo()
    {
        var (exit, _, error) = await RunAsync("[\"a\ud800\"]");

        Assert.Equal(CliApp.Failed, exit);
        Assert.Contains("lone UTF-16 surrogate", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string stdin)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(["canon"], new CliConsole(new StringReader(stdin), output, error));
        return (exit, output.ToString(), error.ToString());
    }
}
