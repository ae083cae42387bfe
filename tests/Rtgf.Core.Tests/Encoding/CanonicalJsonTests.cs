using System.Globalization;
using System.Text;
using Rtgf.Core.Encoding;
using Rtgf.Testing;

namespace Rtgf.Core.Tests.Encoding;

public sealed class CanonicalJsonTests
{
    public static TheoryData<string> VectorNames => new() { "arrays", "french", "structures", "unicode", "values", "weird" };

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Canonicalize_CyberphoneVector_MatchesOutputFile(string name)
    {
        var input = TestData.ReadBytes($"vectors/jcs/testdata/input/{name}.json");
        var expected = TestData.ReadBytes($"vectors/jcs/testdata/output/{name}.json");

        Assert.Equal(expected, CanonicalJson.Canonicalize(input));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Canonicalize_CyberphoneVector_MatchesOutHexFile(string name)
    {
        var input = TestData.ReadBytes($"vectors/jcs/testdata/input/{name}.json");
        var hex = TestData.ReadText($"vectors/jcs/testdata/outhex/{name}.txt");
        var expected = Convert.FromHexString(string.Concat(hex.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)));

        Assert.Equal(expected, CanonicalJson.Canonicalize(input));
    }

    [Fact]
    public void FormatNumber_Es6TestFile_MatchesEveryLine()
    {
        var lines = File.ReadAllLines(TestData.PathOf("vectors/jcs/es6testfile10k.txt"));
        Assert.Equal(10_000, lines.Length);
        var mismatches = new List<string>();
        foreach (var line in lines)
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            var bits = ulong.Parse(line.AsSpan(0, comma), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var expected = line[(comma + 1)..];
            var actual = CanonicalJson.FormatNumber(BitConverter.UInt64BitsToDouble(bits));
            if (!string.Equals(actual, expected, StringComparison.Ordinal))
            {
                mismatches.Add($"{line} -> {actual}");
            }
        }

        Assert.Empty(mismatches);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(123.456, "123.456")]
    [InlineData(-5e-324, "-5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    public void FormatNumber_EdgeValue_UsesEs6Layout(double value, string expected)
    {
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));
    }

    [Fact]
    public void FormatNumber_NegativeZero_IsZero()
    {
        Assert.Equal("0", CanonicalJson.FormatNumber(BitConverter.UInt64BitsToDouble(0x8000000000000000)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void FormatNumber_NonFinite_Throws(double value)
    {
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FormatNumber(value));
    }

    [Theory]
    [InlineData("{ \"b\" : [1, 2.50, -0, 1E2], \"a\": {\"d\":null, \"c\":true} }", "{\"a\":{\"c\":true,\"d\":null},\"b\":[1,2.5,0,100]}")]
    [InlineData("\"\\u001f\\u0008\\/\u00e9\"", "\"\\u001f\\b/\u00e9\"")]
    [InlineData("9007199254740991", "9007199254740991")]
    [InlineData("-9007199254740991", "-9007199254740991")]
    [InlineData("1.5e300", "1.5e+300")]
    [InlineData("{\"\\ufb33\":2,\"\\ud83d\\ude02\":1}", "{\"\ud83d\ude02\":1,\"\ufb33\":2}")]
    public void Canonicalize_Input_IsCanonicalForm(string input, string expected)
    {
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes(input))));
    }

    [Theory]
    [InlineData("{\"a\":1,\"b\":{\"x\":1,\"x\":2}}", "Duplicate member name 'x'", "$.b.x")]
    [InlineData("{\"b\":1,\"a\":2,\"b\":3}", "Duplicate member name 'b'", "$")]
    [InlineData("[1, 1e400]", "outside the IEEE-754 double range", "$[1]")]
    [InlineData("{\"n\":9007199254740992}", "exceeds 2^53-1", "$.n")]
    [InlineData("{\"n\":-12345678901234567890}", "exceeds 2^53-1", "$.n")]
    [InlineData("[\"\\ud800\"]", "lone surrogate", "$[0]")]
    [InlineData("{\"\\udc00x\":1}", "lone surrogate", "$")]
    public void Canonicalize_NotIJson_ThrowsWithPath(string input, string message, string path)
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes(input)));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.Path);
        Assert.NotNull(ex.BytePosition);
    }

    [Theory]
    [InlineData("{\"a\":1} x")]
    [InlineData("[1] [2]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{'a':1}")]
    [InlineData("")]
    [InlineData("[NaN]")]
    [InlineData("[01]")]
    public void Canonicalize_InvalidJsonOrTrailingGarbage_Throws(string input)
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes(input)));

        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void Canonicalize_RawLoneSurrogateBytes_Throws()
    {
        // "\xED\xA0\x80" is U+D800 encoded as if it were a scalar value: not UTF-8.
        byte[] input = [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'];

        var ex = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(input));

        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_CanonicalOutput_IsAFixedPoint()
    {
        var once = CanonicalJson.Canonicalize(TestData.ReadBytes("vectors/jcs/testdata/input/weird.json"));

        Assert.Equal(once, CanonicalJson.Canonicalize(once));
        Assert.True(CanonicalJson.IsCanonical(once));
        Assert.False(CanonicalJson.IsCanonical("{ \"a\":1}"u8));
    }

    [Fact]
    public void Canonicalize_DeepUnsortedNesting_SortsEveryLevel()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            builder.Append("{\"z\":").Append(i.ToString(CultureInfo.InvariantCulture)).Append(",\"a\":");
        }

        builder.Append("null").Append('}', 20);
        var output = System.Text.Encoding.UTF8.GetString(CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes(builder.ToString())));

        Assert.StartsWith("{\"a\":{\"a\":", output, StringComparison.Ordinal);
        Assert.EndsWith("\"z\":1},\"z\":0}", output, StringComparison.Ordinal);
    }
}
