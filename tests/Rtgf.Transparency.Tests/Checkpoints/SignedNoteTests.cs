using System.Text;
using Rtgf.Transparency.Checkpoints;

namespace Rtgf.Transparency.Tests.Checkpoints;

public sealed class SignedNoteTests
{
    private const string Sig = "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

    [Fact]
    public void Parse_SpecExample_SplitsTextAndSignature()
    {
        var note = SignedNote.Parse("This is an example message.\n\n" + Sig);

        Assert.Equal("This is an example message.\n", note.Text);
        var signature = Assert.Single(note.Signatures);
        Assert.Equal("example.com/foo", signature.KeyName);
        Assert.Equal(0x530d903au, signature.KeyId);
        Assert.Equal(64, signature.Signature.Length);
        Assert.Equal("This is an example message.\n\n" + Sig, note.ToString());
    }

    [Fact]
    public void Parse_TextWithEmptyLines_UsesTheLastEmptyLine()
    {
        var note = SignedNote.Parse("a\n\nb\n\n" + Sig);

        Assert.Equal("a\n\nb\n", note.Text);
    }

    [Theory]
    [InlineData("no blank line\n" + "\u2014 k AAAAAAA=\n", "no empty line")]
    [InlineData("text\n\n", "signature block")]
    [InlineData("text\n\n\u2014 k AAAAAAA=", "does not end with a newline")]
    [InlineData("text\n\n- k AAAAAAA=\n", "em dash")]
    [InlineData("text\n\n\u2014 k AAAA!AA=\n", "not valid base64")]
    [InlineData("text\n\n\u2014 k AAAA AA=\n", "not valid base64")]
    [InlineData("text\n\n\u2014 k AAAA\n", "too short")]
    [InlineData("text\n\n\u2014 k+x AAAAAAA=\n", "invalid key name")]
    [InlineData("text\n\n\u2014 kAAAAAAA=\n", "no space")]
    [InlineData("te\rxt\n\n\u2014 k AAAAAAA=\n", "control character")]
    [InlineData("te\txt\n\n\u2014 k AAAAAAA=\n", "control character")]
    public void Parse_Malformed_ThrowsWithReason(string note, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => SignedNote.Parse(note));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManySignatures_Throws()
    {
        var signatures = string.Concat(Enumerable.Repeat("\u2014 k AAAAAAA=\n", 101));
        var ex = Assert.Throws<FormatException>(() => SignedNote.Parse("text\n\n" + signatures));
        Assert.Contains("101 signatures", ex.Message, StringComparison.Ordinal);

        Assert.Equal(100, SignedNote.Parse("text\n\n" + string.Concat(Enumerable.Repeat("\u2014 k AAAAAAA=\n", 100))).Signatures.Count);
    }

    [Fact]
    public void Parse_InvalidUtf8_Throws()
    {
        var bytes = Encoding.UTF8.GetBytes("text\n\n" + Sig);
        bytes[1] = 0xFF;
        Assert.Throws<FormatException>(() => SignedNote.Parse(bytes));
    }
}
