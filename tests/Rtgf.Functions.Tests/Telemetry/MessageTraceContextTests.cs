using System.Diagnostics;
using System.Text.Json.Nodes;
using Rtgf.Core.Telemetry;

namespace Rtgf.Functions.Tests.Telemetry;

/// <summary>The queue message carrier of W3C trace context (<see cref="MessageTraceContext"/>).</summary>
public sealed class MessageTraceContextTests
{
    private static readonly ActivityContext Sender = new(
        ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c"), ActivitySpanId.CreateFromString("b7ad6b7169203331"), ActivityTraceFlags.Recorded, "vendor=a");

    [Fact]
    public void Stamp_AddsTheContext_AndKeepsEveryMemberOfTheBody()
    {
        using var activity = new Activity("send").SetParentId(Sender.TraceId, Sender.SpanId, Sender.TraceFlags);
        activity.TraceStateString = "vendor=a";
        activity.Start();

        var stamped = JsonNode.Parse(MessageTraceContext.Stamp("""{"buildId":"b-1","attempt":2}""", activity))!.AsObject();

        Assert.Equal("b-1", (string)stamped["buildId"]!);
        Assert.Equal(2, (int)stamped["attempt"]!);
        Assert.Equal(activity.Id, (string)stamped[MessageTraceContext.TraceParent]!);
        Assert.Equal("vendor=a", (string)stamped[MessageTraceContext.TraceState]!);
        var parsed = MessageTraceContext.Parse((string)stamped[MessageTraceContext.TraceParent]!, (string)stamped[MessageTraceContext.TraceState]!);
        Assert.Equal(Sender.TraceId, parsed!.Value.TraceId);
        Assert.Equal(activity.SpanId, parsed.Value.SpanId);
        Assert.True(parsed.Value.IsRemote);
    }

    [Fact]
    public void Stamp_ReplacesAnOlderHopsContext_AndDropsItsStateWhenTheNewHopHasNone()
    {
        using var activity = new Activity("forward").SetParentId(Sender.TraceId, Sender.SpanId, Sender.TraceFlags).Start();
        var old = """{"n":1,"traceparent":"00-11111111111111111111111111111111-2222222222222222-01","tracestate":"old=1"}""";

        var stamped = JsonNode.Parse(MessageTraceContext.Stamp(old, activity))!.AsObject();

        Assert.Equal(activity.Id, (string)stamped[MessageTraceContext.TraceParent]!);
        Assert.False(stamped.ContainsKey(MessageTraceContext.TraceState));
    }

    [Theory]
    [InlineData("plain text")]
    [InlineData("[1,2]")]
    [InlineData("{not json")]
    [InlineData("")]
    public void Stamp_LeavesBodiesThatAreNotJsonObjectsAlone(string body)
    {
        using var activity = new Activity("send").Start();
        Assert.Equal(body, MessageTraceContext.Stamp(body, activity));
    }

    [Fact]
    public void Stamp_WithoutAnActivity_ChangesNothing() =>
        Assert.Equal("""{"a":1}""", MessageTraceContext.Stamp("""{"a":1}""", null));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00-not-a-trace-01")]
    public void Parse_AnOldOrMalformedMessage_HasNoContext(string? traceParent) =>
        Assert.Null(MessageTraceContext.Parse(traceParent, null));
}
