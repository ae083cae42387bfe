using System.Text.Json;
using Rtgf.CustomHandler.Invocation;

namespace Rtgf.CustomHandler.Tests.Invocation;

public sealed class TriggerMessageTests
{
    [Fact]
    public void ServiceBus_HostShapedMetadata_IsTyped()
    {
        var request = Envelope("""
            {"Data":{"message":"\"{\\\"source\\\":\\\"tga\\\",\\\"count\\\":3}\""},
             "Metadata":{"DeliveryCount":"2","MessageId":"\"088f6c8b\"","LockToken":"\"4223\"","EnqueuedTimeUtc":"2026-11-22T01:02:03+00:00","SequenceNumber":"5",
                         "source":"\"tga\"","count":"3","sys":{"MethodName":"compile","UtcNow":"2026-11-22T01:02:04.1234567Z","RandGuid":"9d3f"}}}
            """);

        var message = TriggerMessage.From(request.Trigger("message"), request.Metadata, isServiceBus: true);

        Assert.Equal("{\"source\":\"tga\",\"count\":3}", message.Body);
        Assert.Equal(2, message.DeliveryCount);
        Assert.Equal("088f6c8b", message.MessageId);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero), message.EnqueuedTime);
        Assert.Empty(message.ShadowedKeys);
        Assert.Equal("compile", request.Metadata.MethodName);
        Assert.Equal(new SampleMessage("tga", 3), message.Deserialize(TestJson.Default.SampleMessage));
    }

    [Fact]
    public void BodyFieldsThatShadowSystemKeys_AreReportedAndNotTrusted()
    {
        // The host merges body properties into Metadata over its own keys: these values came from the body.
        var request = Envelope("""
            {"Data":{"message":"\"{\\\"MessageId\\\":\\\"spoofed\\\",\\\"deliveryCount\\\":99,\\\"payload\\\":1}\""},
             "Metadata":{"MessageId":"\"spoofed\"","deliveryCount":"99","EnqueuedTimeUtc":"2026-11-22T01:02:03+00:00","payload":"1"}}
            """);

        var message = TriggerMessage.From(request.Trigger("message"), request.Metadata, isServiceBus: true);

        Assert.Null(message.MessageId);
        Assert.Null(message.DeliveryCount);
        Assert.Contains("MessageId", message.ShadowedKeys);
        Assert.Contains("DeliveryCount", message.ShadowedKeys);
        Assert.NotNull(message.EnqueuedTime);
        Assert.Equal("{\"MessageId\":\"spoofed\",\"deliveryCount\":99,\"payload\":1}", message.Body);
    }

    [Fact]
    public void StorageQueue_UsesIdDequeueCountAndInsertionTime()
    {
        var request = Envelope("""
            {"Data":{"message":"\"plain text\""},
             "Metadata":{"DequeueCount":"3","Id":"\"b1c2\"","InsertionTime":"2026-11-22T01:00:00+00:00","PopReceipt":"\"AgAAAAMAAAAAAAAA\""}}
            """);

        var message = TriggerMessage.From(request.Trigger("message"), request.Metadata, isServiceBus: false);

        Assert.Equal("plain text", message.Body);
        Assert.Equal(3, message.DeliveryCount);
        Assert.Equal("b1c2", message.MessageId);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero), message.EnqueuedTime);
    }

    [Fact]
    public void Deserialize_BadBody_IsAnInvalidInvocation()
    {
        var request = Envelope("""{"Data":{"message":"\"not json\""},"Metadata":{}}""");
        var message = TriggerMessage.From(request.Trigger("message"), request.Metadata, isServiceBus: true);

        var error = Assert.Throws<InvalidInvocationException>(() => message.Deserialize(TestJson.Default.SampleMessage));

        Assert.Contains("SampleMessage", error.Message, StringComparison.Ordinal);
    }

    private static InvocationRequest Envelope(string json) => InvocationRequest.Parse(JsonSerializer.Deserialize<JsonElement>(json));
}
