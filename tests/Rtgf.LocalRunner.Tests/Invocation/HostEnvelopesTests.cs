using System.Text.Json;
using Rtgf.CustomHandler.Invocation;
using Rtgf.LocalRunner.Invocation;

namespace Rtgf.LocalRunner.Tests.Invocation;

/// <summary>The runner builds envelopes exactly as the host does, so what passes locally passes under the host.</summary>
public sealed class HostEnvelopesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 2, 3, TimeSpan.Zero);
    private static readonly DeliveredMessage Message = new("{\"source\":\"tga\",\"count\":2}", "6f1d0c2a", "AgAAAA==", 2, Now.AddMinutes(-1), Now.AddDays(7), Now.AddMinutes(1));

    [Fact]
    public void ServiceBus_BodyAndMetadataAreDoubleEncodedLikeJsonConvert()
    {
        var envelope = HostEnvelopes.ServiceBusMessage("relay", "message", Message, Now, "rand-1");

        Assert.Equal("\"{\\\"source\\\":\\\"tga\\\",\\\"count\\\":2}\"", envelope["Data"]!["message"]!.GetValue<string>());
        var metadata = envelope["Metadata"]!.AsObject();
        Assert.Equal("2", metadata["DeliveryCount"]!.GetValue<string>());
        Assert.Equal("\"6f1d0c2a\"", metadata["MessageId"]!.GetValue<string>());
        Assert.Equal("\"AgAAAA==\"", metadata["LockToken"]!.GetValue<string>());
        Assert.Equal("2026-11-22T01:01:03+00:00", metadata["EnqueuedTimeUtc"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.Object, metadata["UserProperties"]!.GetValueKind());
        Assert.Equal("relay", metadata["sys"]!["MethodName"]!.GetValue<string>());
        Assert.Equal("2026-11-22T01:02:03.0000000Z", metadata["sys"]!["UtcNow"]!.GetValue<string>());
        Assert.Equal("rand-1", metadata["sys"]!["RandGuid"]!.GetValue<string>());
    }

    [Fact]
    public void BodyProperties_AreMergedIntoMetadataOverTheSystemKeysWhateverTheirCase()
    {
        var message = Message with { Body = "{\"messageid\":\"from-body\",\"DeliveryCount\":99,\"nested\":{\"a\":1},\"flag\":true,\"gone\":null,\"text\":\"x\"}" };

        var metadata = HostEnvelopes.ServiceBusMessage("relay", "message", message, Now, "r")["Metadata"]!.AsObject();

        Assert.False(metadata.ContainsKey("MessageId"));
        Assert.Equal("\"from-body\"", metadata["messageid"]!.GetValue<string>());
        Assert.Equal("99", metadata["DeliveryCount"]!.GetValue<string>());
        Assert.Equal("{\"a\":1}", metadata["nested"]!.ToJsonString());
        Assert.Equal("true", metadata["flag"]!.GetValue<string>());
        Assert.Equal("\"x\"", metadata["text"]!.GetValue<string>());
        Assert.False(metadata.ContainsKey("gone"));
    }

    [Fact]
    public void StorageQueue_UsesTheQueueTriggersKeys()
    {
        var metadata = HostEnvelopes.StorageQueueMessage("copy", "message", Message with { Body = "plain" }, Now, "r")["Metadata"]!.AsObject();

        Assert.Equal(["DequeueCount", "ExpirationTime", "Id", "InsertionTime", "NextVisibleTime", "PopReceipt", "sys"], metadata.Select(p => p.Key));
        Assert.Equal("2", metadata["DequeueCount"]!.GetValue<string>());
        Assert.Equal("\"6f1d0c2a\"", metadata["Id"]!.GetValue<string>());
    }

    [Fact]
    public void Timer_IsAPlainObjectAndStatusIsNullWithoutTheMonitor()
    {
        var monitored = HostEnvelopes.Timer("tick", "timer", new TimerStatus(Now, Now.AddMinutes(5), Now), isPastDue: true, Now, "r");
        var unmonitored = HostEnvelopes.Timer("tick", "timer", null, isPastDue: false, Now, "r");

        Assert.Equal(
            """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-11-22T01:02:03+00:00","Next":"2026-11-22T01:07:03+00:00","LastUpdated":"2026-11-22T01:02:03+00:00"},"IsPastDue":true}""",
            monitored["Data"]!["timer"]!.ToJsonString(HostEnvelopes.Wire));
        Assert.Null(unmonitored["Data"]!["timer"]!["ScheduleStatus"]);
        Assert.Equal(["sys"], monitored["Metadata"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Http_DescribesTheRequestAsAnObject()
    {
        var request = new EnvelopeHttpRequest(new Uri("http://localhost:7071/echo/42?x=1"), "POST", new Dictionary<string, string> { ["x"] = "1" },
            new Dictionary<string, IReadOnlyList<string>> { ["Content-Type"] = ["text/plain"] }, new Dictionary<string, string> { ["id"] = "42" }, "hello");

        var req = HostEnvelopes.Http("echo", "req", request, Now, "r")["Data"]!["req"]!;

        Assert.Equal("http://localhost:7071/echo/42?x=1", req["Url"]!.GetValue<string>());
        Assert.Equal("hello", req["Body"]!.GetValue<string>());
        Assert.Equal("[\"text/plain\"]", req["Headers"]!["Content-Type"]!.ToJsonString());
        Assert.Equal("42", req["Params"]!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"source\":\"tga\"}")]
    [InlineData("plain text")]
    [InlineData("\"a JSON string literal\"")]
    [InlineData("123")]
    [InlineData("")]
    public void RoundTrip_TheHandlerLibraryReadsBackExactlyWhatWasSent(string body)
    {
        var envelope = HostEnvelopes.ServiceBusMessage("relay", "message", Message with { Body = body }, Now, "r");

        var request = InvocationRequest.Parse(JsonSerializer.Deserialize<JsonElement>(envelope.ToJsonString()));
        var message = TriggerMessage.From(request.Trigger("message"), request.Metadata, isServiceBus: true);

        Assert.Equal(body, message.Body);
        Assert.Equal(2, message.DeliveryCount);
        Assert.Equal("6f1d0c2a", message.MessageId);
        Assert.Equal(Message.InsertedOn, message.EnqueuedTime);
    }

    [Fact]
    public void RoundTrip_ShadowingBodyIsDetectedByTheHandlerLibrary()
    {
        var envelope = HostEnvelopes.StorageQueueMessage("copy", "message", Message with { Body = "{\"Id\":\"spoof\",\"DequeueCount\":9}" }, Now, "r");

        var request = InvocationRequest.Parse(JsonSerializer.Deserialize<JsonElement>(envelope.ToJsonString()));
        var message = TriggerMessage.From(request.Trigger("message"), request.Metadata, isServiceBus: false);

        Assert.Null(message.MessageId);
        Assert.Null(message.DeliveryCount);
        Assert.Equal("spoof", request.Metadata.GetString("Id"));
    }

    [Fact]
    public void RoundTrip_TimerStatusSurvives()
    {
        var envelope = HostEnvelopes.Timer("tick", "timer", new TimerStatus(Now, Now.AddMinutes(5), Now), isPastDue: true, Now, "r");

        var timer = TimerInfo.From(InvocationRequest.Parse(JsonSerializer.Deserialize<JsonElement>(envelope.ToJsonString())).Trigger("timer"));

        Assert.True(timer.IsPastDue);
        Assert.Equal(Now.AddMinutes(5), timer.Next);
    }
}
