using System.Security.Cryptography;
using System.Text;
using Rtgf.Core.Encoding;

namespace Rtgf.Compiler.Tests.Families;

public sealed class RtoRegistrationBuilderTests
{
    [Fact]
    public void WriteFacts_SmallScope_CarriesPredicatesInline()
    {
        var facts = CompiledFacts.Of("rto-registration", "rto:90002");
        const string items = """[{"component":"BSB40120","end":"2025-04-30","extent":"01","implicit":false,"start":"2019-01-01"}]""";
        Assert.Equal(
            "{\"abn\":\"11 222 333 444\",\"code\":\"90002\",\"legal_name\":\"Bright Futures Institute Ltd\",\"registration_end\":\"2025-04-30\","
            + "\"registration_manager\":\"VRQA\",\"registration_start\":\"2018-05-01\",\"scope\":{\"count\":1,\"digest\":\"sha256:" + Digest(items)
            + "\",\"items\":" + items + "},\"status\":\"Cancelled\",\"trading_names\":[]}",
            facts.GetRawText());
    }

    [Fact]
    public void WriteFacts_ScopeAboveLimit_CarriesCountDigestAndPartsOnly()
    {
        var scope = CompiledFacts.Of("rto-registration", "rto:90001").GetProperty("scope");
        Assert.Equal(4, scope.GetProperty("count").GetInt32()); // five rows, one refused
        Assert.Equal(2, scope.GetProperty("parts").GetInt32()); // limit 3 in the golden matrix
        Assert.False(scope.TryGetProperty("items", out _));
    }

    [Fact]
    public void WriteFacts_NoScopeRows_EmptyInlineScope()
    {
        var scope = CompiledFacts.Of("rto-registration", "rto:90003").GetProperty("scope");
        Assert.Equal(0, scope.GetProperty("count").GetInt32());
        Assert.Equal("sha256:" + Digest("[]"), scope.GetProperty("digest").GetString());
        Assert.Equal(0, scope.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void WriteFacts_TradingNamesSortedOrdinal()
    {
        var names = CompiledFacts.Of("rto-registration", "rto:90001").GetProperty("trading_names").EnumerateArray().Select(n => n.GetString());
        Assert.Equal(["ACME Academy", "Acme Skills"], names);
    }

    [Fact]
    public void Compile_RtoWithContactsAndLocations_NoTokenCarriesThem()
    {
        // 90001's record has a contact (name, email, phone, postal address) and a location: the snapshot keeps them for the
        // catalogue API; the facts keep their shape and no payload of any family holds them.
        var facts = CompiledFacts.Of("rto-registration", "rto:90001");
        Assert.Equal(
            ["abn", "code", "legal_name", "registration_end", "registration_manager", "registration_start", "scope", "status", "trading_names"],
            facts.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Current", facts.GetProperty("status").GetString());
        Assert.NotEmpty(CompiledFacts.Result.Tokens);
        Assert.All(CompiledFacts.Result.Tokens, token =>
        {
            var payload = Encoding.UTF8.GetString(token.PayloadJson.Span);
            Assert.DoesNotContain(GoldenCorpus.ContactEmail, payload, StringComparison.Ordinal);
            Assert.DoesNotContain("Citizen", payload, StringComparison.Ordinal);
            Assert.DoesNotContain("1 George Street", payload, StringComparison.Ordinal);
            Assert.DoesNotContain("PO Box 1", payload, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void PartsFor_SplitsAtTheLimit()
    {
        Assert.Equal(0, Rtgf.Compiler.Families.RtoRegistrationBuilder.PartsFor(500, 500));
        Assert.Equal(2, Rtgf.Compiler.Families.RtoRegistrationBuilder.PartsFor(501, 500));
        Assert.Equal(3, Rtgf.Compiler.Families.RtoRegistrationBuilder.PartsFor(1500, 500));
    }

    private static string Digest(string json) => Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json))));
}
