using System.Text;
using Rtgf.Transparency.Entries;

namespace Rtgf.Transparency.Tests.Entries;

public sealed class LogEntryValidatorTests
{
    [Theory]
    [InlineData("snapshot")]
    [InlineData("token")]
    [InlineData("jwks")]
    [InlineData("revocation")]
    [InlineData("operator-action")]
    public void Validate_KnownType_ReturnsIt(string type) =>
        Assert.Equal(type, LogEntryValidator.Validate(Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"x\":1}}")));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{", "not valid JSON")]
    [InlineData("[1]", "JSON object")]
    [InlineData("{\"kind\":\"token\"}", "no string 'type'")]
    [InlineData("{\"type\":3}", "no string 'type'")]
    [InlineData("{\"type\":\"cat\"}", "unknown")]
    [InlineData("{\"type\":\"token\",\"type\":\"jwks\"}", "not valid JSON")]
    public void Validate_Bad_ThrowsWithReason(string json, string reason)
    {
        var ex = Assert.Throws<InvalidLogEntryException>(() => LogEntryValidator.Validate(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Over65535Bytes_Throws()
    {
        var json = "{\"type\":\"token\",\"pad\":\"" + new string('a', 65_536) + "\"}";
        var ex = Assert.Throws<InvalidLogEntryException>(() => LogEntryValidator.Validate(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("65535", ex.Message, StringComparison.Ordinal);
    }
}
