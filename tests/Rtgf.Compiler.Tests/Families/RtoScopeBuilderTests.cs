using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Rtgf.Compiler.Tests.Families;

public sealed class RtoScopeBuilderTests
{
    [Fact]
    public void WriteFacts_LargeScope_SplitIntoNumberedPartsInComponentOrder()
    {
        Assert.Equal(["rto:90001/scope/1", "rto:90001/scope/2"], CompiledFacts.Subjects("rto-scope"));
        var first = CompiledFacts.Of("rto-scope", "rto:90001/scope/1");
        var second = CompiledFacts.Of("rto-scope", "rto:90001/scope/2");
        Assert.Equal(["BSB40120", "BSB50120", "BSBWHS411"], Components(first));
        Assert.Equal(["CHC33021"], Components(second)); // CPC30220 was refused: not on scope
        Assert.Equal(1, first.GetProperty("part").GetInt32());
        Assert.Equal(2, second.GetProperty("parts").GetInt32());
        Assert.Equal(4, second.GetProperty("count").GetInt32());
        Assert.True(first.GetProperty("items")[2].GetProperty("implicit").GetBoolean());
        Assert.Equal("2026-06-01", second.GetProperty("items")[0].GetProperty("end").GetString());
    }

    [Fact]
    public void WriteFacts_PartsReassembled_MatchTheRegistrationDigest()
    {
        var registration = CompiledFacts.Of("rto-registration", "rto:90001").GetProperty("scope").GetProperty("digest").GetString();
        var items = CompiledFacts.Subjects("rto-scope")
            .SelectMany(s => CompiledFacts.Of("rto-scope", s).GetProperty("items").EnumerateArray().Select(i => i.GetRawText()));
        var reassembled = "[" + string.Join(",", items) + "]";
        Assert.Equal(registration, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reassembled))));
        Assert.All(CompiledFacts.Subjects("rto-scope"), s => Assert.Equal(registration, CompiledFacts.Of("rto-scope", s).GetProperty("digest").GetString()));
    }

    private static string[] Components(JsonElement part) =>
        [.. part.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("component").GetString()!)];
}
