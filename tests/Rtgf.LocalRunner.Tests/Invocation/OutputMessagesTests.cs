using System.Text.Json.Nodes;
using Rtgf.LocalRunner.Invocation;

namespace Rtgf.LocalRunner.Tests.Invocation;

/// <summary>Output values become messages as the host's bindings make them, traps included.</summary>
public sealed class OutputMessagesTests
{
    [Fact]
    public void Array_IsOneMessagePerElement()
    {
        var messages = OutputMessages.From(JsonNode.Parse("[{\"a\":1},{\"a\":2}]"), binaryDataType: false, Fail);

        Assert.Equal(2, messages.Count);
        Assert.Equal(1, JsonNode.Parse(messages[0].ToString())!["a"]!.GetValue<int>());
    }

    [Fact]
    public void Object_IsReserialisedIndentedAsJTokenToStringDoes()
    {
        var message = Assert.Single(OutputMessages.From(JsonNode.Parse("{\"a\":1}"), binaryDataType: false, Fail));

        Assert.Equal("{\n  \"a\": 1\n}", message.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void StringHoldingAnArray_IsSplit() =>
        Assert.Equal(2, OutputMessages.From(JsonValue.Create("[{\"a\":1},{\"b\":2}]"), binaryDataType: false, Fail).Count);

    [Fact]
    public void Base64LookingString_IsDecodedAsTheHostDoes_WithAWarning()
    {
        var warnings = new List<string>();

        var message = Assert.Single(OutputMessages.From(JsonValue.Create("test"), binaryDataType: false, warnings.Add));

        Assert.Equal(Convert.FromBase64String("test"), message.ToArray());
        Assert.Contains("base64", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Base64LookingString_OnABinaryBinding_IsLeftAlone()
    {
        var message = Assert.Single(OutputMessages.From(JsonValue.Create("test"), binaryDataType: true, Fail));

        Assert.Equal("test", message.ToString());
    }

    [Fact]
    public void OtherString_IsOneMessage() =>
        Assert.Equal("hello world", Assert.Single(OutputMessages.From(JsonValue.Create("hello world"), binaryDataType: false, Fail)).ToString());

    [Fact]
    public void Null_IsNoMessage() => Assert.Empty(OutputMessages.From(null, binaryDataType: false, Fail));

    private static void Fail(string warning) => Assert.Fail("unexpected warning: " + warning);
}
