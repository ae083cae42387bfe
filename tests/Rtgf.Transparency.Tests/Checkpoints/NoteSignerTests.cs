using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Tests.Support;

namespace Rtgf.Transparency.Tests.Checkpoints;

public sealed class NoteSignerTests
{
    [Fact]
    public async Task SignAsync_Text_ProducesANoteItsKeyVerifies()
    {
        using var signer = new TestSigner();
        var noteSigner = new NoteSigner("rtgf.test/log", signer);

        var note = await noteSigner.SignAsync("rtgf.test/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");

        Assert.StartsWith("rtgf.test/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n\u2014 rtgf.test/log ", note, StringComparison.Ordinal);
        var result = NoteVerifier.Verify(note, [NoteVerifierKey.Parse(noteSigner.VerifierKey.ToString())]);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(1, signer.Calls);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no newline")]
    [InlineData("a\n\nb\n")]
    public async Task SignAsync_BadText_Throws(string text)
    {
        using var signer = new TestSigner();
        await Assert.ThrowsAsync<ArgumentException>(async () => await new NoteSigner("log", signer).SignAsync(text));
        Assert.Equal(0, signer.Calls);
    }

    [Fact]
    public void Constructor_NameWithPlus_Throws()
    {
        using var signer = new TestSigner();
        Assert.Throws<ArgumentException>(() => new NoteSigner("a+b", signer));
    }
}
