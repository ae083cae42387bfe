using Rtgf.Functions.Workers;

namespace Rtgf.Functions.Tests.Workers;

/// <summary>
/// The broker's message id as the functions may use it: the host lets a JSON body's top-level members overwrite the trigger
/// metadata, so a body with an <c>Id</c> member could choose the id it is deduplicated or dead-lettered under.
/// </summary>
public sealed class QueueMessagesTests
{
    [Theory]
    [InlineData("""{"runId":"r","batch":1}""")]
    [InlineData("not json")]
    [InlineData("""["Id"]""")]
    [InlineData("""{"nested":{"id":"x"}}""")]
    public void BrokerIdOrNull_IsTheMetadataId_WhenTheBodyHasNoIdMember(string body)
    {
        Assert.Equal("broker-1", QueueMessages.BrokerIdOrNull("broker-1", body));
        Assert.Equal("broker-1", QueueMessages.MessageId("broker-1", body, "compile"));
    }

    [Theory]
    [InlineData("""{"id":"chosen","runId":"r"}""")]
    [InlineData("""{"Id":"chosen"}""")]
    [InlineData("""{"ID":7}""")]
    public void BrokerIdOrNull_IsNull_WhenTheBodyShadowsTheId(string body)
    {
        // The bound id is whatever the body said (the host copied it over the metadata): never a key.
        Assert.Null(QueueMessages.BrokerIdOrNull("chosen", body));
        var refused = Assert.Throws<InvalidOperationException>(() => QueueMessages.MessageId("chosen", body, "qa"));
        Assert.StartsWith("qa:", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void BrokerIdOrNull_IsNull_WhenTheDeliveryHasNoId(string? id)
    {
        Assert.Null(QueueMessages.BrokerIdOrNull(id, """{"runId":"r"}"""));
        Assert.Throws<InvalidOperationException>(() => QueueMessages.MessageId(id, """{"runId":"r"}""", "publish"));
    }
}
