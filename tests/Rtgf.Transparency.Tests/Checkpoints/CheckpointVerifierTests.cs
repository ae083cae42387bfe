using System.Text.Json;
using Rtgf.Testing;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Merkle;

namespace Rtgf.Transparency.Tests.Checkpoints;

public sealed class CheckpointVerifierTests
{
    private static readonly JsonElement Rekor = JsonDocument.Parse(TestData.ReadText("vectors/checkpoints/rekor_v1_ecdsa_checkpoints.json")).RootElement;
    private static readonly NoteVerifierKey RekorKey = NoteVerifierKey.Parse(Rekor.GetProperty("derived_vkey_type02").GetString()!);

    [Fact]
    public void Verify_RekorEndToEnd_EntryIsIncludedUnderTheSignedRoot()
    {
        var e2e = Rekor.GetProperty("end_to_end");
        var verification = CheckpointVerifier.Verify(e2e.GetProperty("checkpoint").GetString()!, [RekorKey]);
        Assert.True(verification.IsValid, verification.Reason);
        var checkpoint = verification.Checkpoint!;

        var leaf = MerkleHash.Leaf(Convert.FromBase64String(e2e.GetProperty("canonicalized_body_b64").GetString()!));
        Assert.Equal(e2e.GetProperty("leaf_hash_hex").GetString(), Convert.ToHexStringLower(leaf));
        Assert.Equal(e2e.GetProperty("tree_size").GetInt64(), checkpoint.Size);
        byte[][] proof = [.. e2e.GetProperty("proof_b64").EnumerateArray().Select(p => Convert.FromBase64String(p.GetString()!))];

        var check = MerkleProofVerifier.VerifyInclusion(e2e.GetProperty("leaf_index").GetInt64(), checkpoint.Size, leaf, proof, checkpoint.RootHash);
        Assert.True(check.IsValid, check.Reason);

        proof[3][0] ^= 1;
        Assert.False(MerkleProofVerifier.VerifyInclusion(e2e.GetProperty("leaf_index").GetInt64(), checkpoint.Size, leaf, proof, checkpoint.RootHash).IsValid);
    }

    [Fact]
    public void Verify_WrongOrigin_Rejects()
    {
        var note = Rekor.GetProperty("signature_only")[0].GetProperty("checkpoint").GetString()!;

        var verification = CheckpointVerifier.Verify(note, [RekorKey], expectedOrigin: "other.example/log");

        Assert.False(verification.IsValid);
        Assert.Contains("origin", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SignedButNotACheckpoint_SaysMalformedCheckpoint()
    {
        using var signer = new Support.TestSigner();
        var noteSigner = new NoteSigner("log", signer);
        var note = await noteSigner.SignAsync("just one line\n");

        var verification = CheckpointVerifier.Verify(note, [noteSigner.VerifierKey]);

        Assert.False(verification.IsValid);
        Assert.StartsWith("malformed checkpoint", verification.Reason, StringComparison.Ordinal);
    }
}
