using System.Text.Json;
using Rtgf.Testing;
using Rtgf.Transparency.Merkle;

namespace Rtgf.Transparency.Tests.Merkle;

public sealed class MerkleProofVerifierTests
{
    public static TheoryData<string> InclusionVectors() => Vectors("inclusion");

    public static TheoryData<string> ConsistencyVectors() => Vectors("consistency");

    [Fact]
    public void Vectors_All196Present()
    {
        Assert.Equal(196, InclusionVectors().Count + ConsistencyVectors().Count);
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void VerifyInclusion_TransparencyDevVector_MatchesWantErr(string file)
    {
        var v = Load(file);
        var result = MerkleProofVerifier.VerifyInclusion(
            // The vectors use uint64; an index beyond long.MaxValue reaches the verifier as a negative number, which it rejects.
            unchecked((long)v.GetProperty("leafIdx").GetUInt64()), unchecked((long)v.GetProperty("treeSize").GetUInt64()),
            Bytes(v, "leafHash"), Proof(v), Bytes(v, "root"));

        Assert.Equal(!v.GetProperty("wantErr").GetBoolean(), result.IsValid);
        Assert.Equal(result.IsValid, result.Reason is null);
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void VerifyConsistency_TransparencyDevVector_MatchesWantErr(string file)
    {
        var v = Load(file);
        var result = MerkleProofVerifier.VerifyConsistency(
            unchecked((long)v.GetProperty("size1").GetUInt64()), unchecked((long)v.GetProperty("size2").GetUInt64()),
            Bytes(v, "root1"), Bytes(v, "root2"), Proof(v));

        Assert.Equal(!v.GetProperty("wantErr").GetBoolean(), result.IsValid);
    }

    [Fact]
    public void VerifyInclusion_WrongProofLength_SaysWhatLengthIsExpected()
    {
        var leaf = MerkleHash.Leaf([1]);
        var result = MerkleProofVerifier.VerifyInclusion(0, 8, leaf, [leaf, leaf], leaf);

        Assert.False(result.IsValid);
        Assert.Equal("wrong proof size 2, want 3", result.Reason);
    }

    [Fact]
    public void VerifyConsistency_FromEmptyTree_IsRefused()
    {
        var result = MerkleProofVerifier.VerifyConsistency(0, 5, MerkleHash.EmptyRoot, MerkleHash.EmptyRoot, []);

        Assert.False(result.IsValid);
        Assert.Contains("empty tree", result.Reason, StringComparison.Ordinal);
    }

    private static TheoryData<string> Vectors(string kind)
    {
        var root = TestData.PathOf("vectors/merkle/testdata/" + kind);
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(TestData.Root, file).Replace('\\', '/'));
        }

        return data;
    }

    private static JsonElement Load(string file) => JsonDocument.Parse(TestData.ReadText(file)).RootElement;

    private static byte[] Bytes(JsonElement v, string name) =>
        v.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? Convert.FromBase64String(e.GetString()!) : [];

    private static byte[][] Proof(JsonElement v) =>
        v.TryGetProperty("proof", out var p) && p.ValueKind == JsonValueKind.Array
            ? [.. p.EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!))]
            : [];
}
