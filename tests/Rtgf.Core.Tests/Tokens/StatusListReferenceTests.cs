using Rtgf.Core.Tokens;

namespace Rtgf.Core.Tests.Tokens;

public sealed class StatusListReferenceTests
{
    [Fact]
    public void TryRead_WellFormedReference_ReadsIndexAndUri()
    {
        var reference = StatusListReference.TryRead("""{"status":{"status_list":{"idx":5,"uri":"https://r.example/s/1"}}}"""u8.ToArray());

        Assert.Equal(new StatusListReference(5, "https://r.example/s/1"), reference);
    }

    [Theory]
    [InlineData("""{"status":{"status_list":{"idx":"5","uri":"https://r.example/s/1"}}}""")]
    [InlineData("""{"status":{"status_list":{"idx":true,"uri":"https://r.example/s/1"}}}""")]
    [InlineData("""{"status":{"status_list":{"idx":null,"uri":"https://r.example/s/1"}}}""")]
    [InlineData("""{"status":{"status_list":{"idx":[5],"uri":"https://r.example/s/1"}}}""")]
    [InlineData("""{"status":{"status_list":{"idx":5.5,"uri":"https://r.example/s/1"}}}""")]
    [InlineData("""{"status":{"status_list":{"idx":-1,"uri":"https://r.example/s/1"}}}""")]
    [InlineData("""{"status":{"status_list":{"idx":5,"uri":7}}}""")]
    [InlineData("""{"status":{"status_list":[]}}""")]
    [InlineData("""{"status":"x"}""")]
    [InlineData("""[]""")]
    [InlineData("""{"status":""")]
    [InlineData("""{"status":{"status_list":{"idx":5,"uri":"\ud800"}}}""")]
    public void TryRead_ReferenceOfTheWrongShape_IsNullNotAnException(string payload)
    {
        Assert.Null(StatusListReference.TryRead(System.Text.Encoding.UTF8.GetBytes(payload)));
    }
}
