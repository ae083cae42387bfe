using System.Text.Json;
using Rtgf.Testing;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Tests.Support;

namespace Rtgf.Transparency.Tests.Checkpoints;

public sealed class NoteVerifierTests
{
    private static readonly JsonElement Rekor = JsonDocument.Parse(TestData.ReadText("vectors/checkpoints/rekor_v1_ecdsa_checkpoints.json")).RootElement;
    private static readonly NoteVerifierKey RekorKey = NoteVerifierKey.Parse(Rekor.GetProperty("derived_vkey_type02").GetString()!);

    public static TheoryData<int> RekorCheckpoints() => [.. Enumerable.Range(0, Rekor.GetProperty("signature_only").GetArrayLength())];

    [Theory]
    [MemberData(nameof(RekorCheckpoints))]
    public void Verify_RekorCheckpoint_MatchesExpectation(int i)
    {
        var vector = Rekor.GetProperty("signature_only")[i];
        var result = NoteVerifier.Verify(vector.GetProperty("checkpoint").GetString()!, [RekorKey]);

        Assert.Equal(vector.GetProperty("expect_valid").GetBoolean(), result.IsValid);
        if (result.IsValid)
        {
            Assert.Equal(["rekor.sigstore.dev"], result.VerifiedBy);
        }
        else
        {
            Assert.Contains("does not verify", result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verify_TamperedRekorCheckpointIsAmongTheVectors()
    {
        Assert.Contains(Rekor.GetProperty("signature_only").EnumerateArray(), v => !v.GetProperty("expect_valid").GetBoolean());
    }

    [Fact]
    public void Verify_OnlyUnknownKeys_RejectsButIgnoresThem()
    {
        using var signer = new TestSigner();
        var note = Rekor.GetProperty("signature_only")[0].GetProperty("checkpoint").GetString()!;

        var result = NoteVerifier.Verify(note, [NoteVerifierKey.ForEcdsa("rekor.sigstore.dev", signer.PublicKey)]);

        Assert.False(result.IsValid);
        Assert.Equal("no signature from a known key", result.Reason);
    }

    [Fact]
    public async Task Verify_ExtraUnknownSignature_IsIgnored()
    {
        using var signer = new TestSigner();
        using var witness = new TestSigner();
        var noteSigner = new NoteSigner("log", signer);
        var note = await noteSigner.SignAsync("hello\n");
        var witnessLine = (await new NoteSigner("witness", witness).SignAsync("hello\n")).Split("\n\n")[1];

        var result = NoteVerifier.Verify(note + witnessLine, [noteSigner.VerifierKey]);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(2, result.Note!.Signatures.Count);
    }

    [Fact]
    public async Task Verify_KnownKeyWithBadSignatureBesideAGoodOne_Rejects()
    {
        using var signer = new TestSigner();
        var noteSigner = new NoteSigner("log", signer);
        var good = await noteSigner.SignAsync("hello\n");
        var other = (await noteSigner.SignAsync("other\n")).Split("\n\n")[1];

        var result = NoteVerifier.Verify(good + other, [noteSigner.VerifierKey]);

        Assert.False(result.IsValid);
        Assert.Contains("does not verify", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_Ed25519SpecExample_ParsesButReportsUnsupportedType()
    {
        var example = JsonDocument.Parse(TestData.ReadText("vectors/checkpoints/c2sp_signed_note_ed25519_example.json")).RootElement;
        var key = NoteVerifierKey.Parse(example.GetProperty("vkey").GetString()!);

        var result = NoteVerifier.Verify(example.GetProperty("note").GetString()!, [key]);

        Assert.Equal(example.GetProperty("signed_text").GetString(), result.Note!.Text);
        Assert.False(result.IsValid);
        Assert.Contains("unsupported signature type 0x01", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MalformedNote_SaysMalformed()
    {
        var result = NoteVerifier.Verify("no signatures\n", [RekorKey]);

        Assert.False(result.IsValid);
        Assert.StartsWith("malformed note:", result.Reason, StringComparison.Ordinal);
    }
}
