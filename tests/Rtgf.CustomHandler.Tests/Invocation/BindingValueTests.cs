using System.Text.Json;
using Rtgf.CustomHandler.Invocation;

namespace Rtgf.CustomHandler.Tests.Invocation;

public sealed class BindingValueTests
{
    [Theory]
    [InlineData("\"\\\"abc\\\"\"", "abc")]                                   // a string, as the host sends it
    [InlineData("\"abc\"", "abc")]                                           // single-encoded text, tolerated
    [InlineData("\"\\\"{\\\\\\\"hello\\\\\\\":\\\\\\\"world\\\\\\\"}\\\"\"", "{\"hello\":\"world\"}")] // a JSON body, double-encoded
    [InlineData("\"{\\\"hello\\\":\\\"world\\\"}\"", "{\"hello\":\"world\"}")] // a JSON body, single-encoded
    [InlineData("\"\\\"123\\\"\"", "123")]                                   // the text "123"
    [InlineData("\"\\\"\\\\\\\"quoted\\\\\\\"\\\"\"", "\"quoted\"")]          // text that is itself a JSON string literal
    [InlineData("\"\"", "")]
    [InlineData("\"not json {\"", "not json {")]
    public void AsText_UndoesTheHostsEncoding(string raw, string expected)
    {
        var value = new BindingValue(JsonSerializer.Deserialize<JsonElement>(raw));

        Assert.Equal(expected, value.AsText());
    }

    [Fact]
    public void Numbers_SentAsJsonStrings_ReadAsNumbers()
    {
        Assert.Equal(1, Value("\"1\"").AsInt32());
        Assert.Equal(5_000_000_000L, Value("\"5000000000\"").AsInt64());
        Assert.Equal(7, Value("7").AsInt32());
        Assert.Null(Value("\"\\\"seven\\\"\"").AsInt32());
    }

    [Fact]
    public void Dates_SentAsIsoStrings_ReadAsUtc()
    {
        var value = Value("\"2019-10-16T17:58:31+10:00\"");

        Assert.Equal(new DateTimeOffset(2019, 10, 16, 7, 58, 31, TimeSpan.Zero), value.AsDateTimeOffset());
    }

    [Fact]
    public void Objects_ArriveAndStayObjects()
    {
        var value = Value("{\"IsPastDue\":false}");

        Assert.Equal(JsonValueKind.Object, value.Decoded.ValueKind);
        Assert.Equal("{\"IsPastDue\":false}", value.AsText());
    }

    [Fact]
    public void Booleans_SentAsStrings_ReadAsBooleans()
    {
        Assert.True(Value("\"true\"").AsBoolean());
        Assert.False(Value("false").AsBoolean());
    }

    [Fact]
    public void Deserialize_ReadsTheBodyTextAsJson()
    {
        var value = Value("\"\\\"{\\\\\\\"source\\\\\\\":\\\\\\\"tga\\\\\\\",\\\\\\\"count\\\\\\\":3}\\\"\"");

        var body = value.Deserialize(TestJson.Default.SampleMessage);

        Assert.Equal(new SampleMessage("tga", 3), body);
    }

    [Fact]
    public void Base64_ReadsBytes()
    {
        Assert.Equal(new byte[] { 1, 2, 3 }, Value("\"AQID\"").AsBytes());
    }

    [Fact]
    public void Null_IsNull() => Assert.True(Value("null").IsNull);

    private static BindingValue Value(string raw) => new(JsonSerializer.Deserialize<JsonElement>(raw));
}
