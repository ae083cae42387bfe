using Rtgf.Core.Encoding;

namespace Rtgf.Core.Tests.Encoding;

public sealed class CanonicalJsonWriterTests
{
    [Fact]
    public void Write_MembersInOrdinalOrder_ProducesSameBytesAsCanonicalize()
    {
        using var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteString("a", "line\nbreak \u20ac \"q\"");
        writer.WritePropertyName("b");
        writer.WriteStartArray();
        writer.WriteNumber(1);
        writer.WriteNumber(2.5);
        writer.WriteBoolean(false);
        writer.WriteNull();
        writer.WriteEndArray();
        writer.WritePropertyName("c");
        writer.WriteCanonicalized("{ \"y\": 1e2, \"x\": [] }"u8);
        writer.WriteEndObject();

        var expected = CanonicalJson.Canonicalize("{\"c\":{\"x\":[],\"y\":100},\"b\":[1,2.5,false,null],\"a\":\"line\\nbreak \u20ac \\\"q\\\"\"}"u8);
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void WritePropertyName_OutOfOrder_Throws()
    {
        using var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteNumber("b", 1);

        var ex = Assert.Throws<CanonicalJsonException>(() => writer.WritePropertyName("a"));

        Assert.Contains("ordinal", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritePropertyName_Duplicate_Throws()
    {
        using var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteNumber("a", 1);

        Assert.Throws<CanonicalJsonException>(() => writer.WritePropertyName("a"));
    }

    [Fact]
    public void WritePropertyName_SupplementaryVersusBmp_UsesUtf16Order()
    {
        using var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteNumber("\ud83d\ude02", 1); // U+1F602 is 0xD83D 0xDE02 in UTF-16: before U+FB33, though after it by code point
        writer.WriteNumber("\ufb33", 2);
        writer.WriteEndObject();

        using var reversed = new CanonicalJsonWriter();
        reversed.WriteStartObject();
        reversed.WriteNumber("\ufb33", 2);
        Assert.Throws<CanonicalJsonException>(() => reversed.WritePropertyName("\ud83d\ude02"));
        Assert.Equal(CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes("{\"\ufb33\":2,\"\ud83d\ude02\":1}")), writer.ToArray());
    }

    [Fact]
    public void WriteNumber_BeyondSafeInteger_Throws()
    {
        using var writer = new CanonicalJsonWriter();

        Assert.Throws<CanonicalJsonException>(() => writer.WriteNumber(9007199254740992L));
        Assert.Throws<CanonicalJsonException>(() => writer.WriteNumber(double.NaN));
    }

    [Fact]
    public void WriteString_LoneSurrogate_Throws()
    {
        using var writer = new CanonicalJsonWriter();

        var ex = Assert.Throws<CanonicalJsonException>(() => writer.WriteString("a\ud800b"));

        Assert.Contains("lone", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToArray_Incomplete_Throws()
    {
        using var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();

        Assert.Throws<InvalidOperationException>(writer.ToArray);
    }

    [Fact]
    public void Reset_AfterDocument_WritesNextDocumentFromScratch()
    {
        using var writer = new CanonicalJsonWriter();
        writer.WriteString("first");
        writer.Reset();
        writer.WriteNumber(7);

        Assert.Equal("7"u8.ToArray(), writer.ToArray());
    }
}
