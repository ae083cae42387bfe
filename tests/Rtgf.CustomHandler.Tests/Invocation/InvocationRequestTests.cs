using System.Text;
using System.Text.Json;
using Rtgf.CustomHandler.Invocation;

namespace Rtgf.CustomHandler.Tests.Invocation;

public sealed class InvocationRequestTests
{
    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"Metadata\":{}}")]
    [InlineData("{\"Data\":\"x\"}")]
    public async Task ReadAsync_NotAnEnvelope_IsRefusedWithAReason(string body)
    {
        var error = await Assert.ThrowsAsync<InvalidInvocationException>(() =>
            InvocationRequest.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Parse_KeysAreCaseInsensitive()
    {
        var request = InvocationRequest.Parse(JsonSerializer.Deserialize<JsonElement>("{\"data\":{\"Timer\":{}},\"metadata\":{\"SYS\":{\"MethodName\":\"tick\"}}}"));

        Assert.True(request.Data.ContainsKey("timer"));
        Assert.Equal("tick", request.Metadata.MethodName);
    }

    [Fact]
    public void Trigger_Missing_IsAnInvalidInvocation()
    {
        var request = InvocationRequest.Parse(JsonSerializer.Deserialize<JsonElement>("{\"Data\":{},\"Metadata\":{}}"));

        Assert.Throws<InvalidInvocationException>(() => request.Trigger("message"));
    }

    [Fact]
    public void TimerInfo_ReadsTheHostsTimerObject()
    {
        var request = InvocationRequest.Parse(JsonSerializer.Deserialize<JsonElement>("""
            {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-09-24T13:08:00.0096035+00:00","Next":"2026-09-24T13:09:00+00:00","LastUpdated":"2026-09-24T13:08:00+00:00"},"IsPastDue":true}},"Metadata":{}}
            """));

        var timer = TimerInfo.From(request.Trigger("timer"));

        Assert.True(timer.IsPastDue);
        Assert.True(timer.AdjustForDst);
        Assert.Equal(new DateTimeOffset(2026, 9, 24, 13, 9, 0, TimeSpan.Zero), timer.Next);
        Assert.Equal(new DateTimeOffset(2026, 9, 24, 13, 8, 0, TimeSpan.Zero).AddTicks(96035), timer.Last);
    }

    [Fact]
    public void TimerInfo_WithoutMonitor_HasNoStatus()
    {
        var request = InvocationRequest.Parse(JsonSerializer.Deserialize<JsonElement>("{\"Data\":{\"timer\":{\"Schedule\":{},\"ScheduleStatus\":null,\"IsPastDue\":false}},\"Metadata\":{}}"));

        var timer = TimerInfo.From(request.Trigger("timer"));

        Assert.False(timer.IsPastDue);
        Assert.Null(timer.Last);
        Assert.Null(timer.Next);
    }

    [Fact]
    public void HttpRequestData_ReadsTheHostsRequestObject()
    {
        var request = InvocationRequest.Parse(JsonSerializer.Deserialize<JsonElement>("""
            {"Data":{"req":{"Url":"http://localhost:7071/echo/42?x=1","Method":"POST","Query":{"x":"1"},"Headers":{"Content-Type":["application/json"]},"Params":{"id":"42"},"Identities":[],"Body":"{\"a\":1}"}},"Metadata":{}}
            """));

        var http = HttpRequestData.From(request.Trigger("req"));

        Assert.Equal("POST", http.Method);
        Assert.Equal("42", http.Params["id"]);
        Assert.Equal("1", http.Query["x"]);
        Assert.Equal(["application/json"], http.Headers["content-type"]);
        Assert.Equal("{\"a\":1}", http.Body);
    }
}
