using Rtgf.Compiler.Families;

namespace Rtgf.Compiler.Tests.Families;

public sealed class NameNormaliserTests
{
    private readonly NameNormaliser _normaliser = new(["LTD", "PTY"]);

    [Theory]
    [InlineData("Acme Training Pty. Ltd.", "ACME TRAINING")]
    [InlineData("  acme---training  ", "ACME TRAINING")]
    [InlineData("istanbul iğne", "ISTANBUL IĞNE")]
    [InlineData("Pty Ltd", null)]
    [InlineData("", null)]
    public void Normalise_Names_UpperCasedPunctuationAndIgnoredWordsDropped(string name, string? expected) =>
        Assert.Equal(expected, _normaliser.Normalise(name));

    [Theory]
    [InlineData("ABN 12 345 678 901.", new[] { "12345678901" })]
    [InlineData("12345678901 and 98765432109", new[] { "12345678901", "98765432109" })]
    [InlineData("phone 1234 5678", new string[0])]
    [InlineData("123456789012", new string[0])]
    public void AbnsIn_Text_FindsElevenDigitNumbers(string text, string[] expected) =>
        Assert.Equal(expected, NameNormaliser.AbnsIn(text));

    [Fact]
    public void Abn_SpacedOrNot_ElevenDigits()
    {
        Assert.Equal("51824753556", NameNormaliser.Abn("51 824 753 556"));
        Assert.Null(NameNormaliser.Abn("5182475355"));
        Assert.Null(NameNormaliser.Abn(null));
    }
}
