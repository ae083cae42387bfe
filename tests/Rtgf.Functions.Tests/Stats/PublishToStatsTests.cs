using System.Text.Json;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Functions.Tests.Support;
using Rtgf.Functions.Workers;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Functions.Tests.Stats;

/// <summary>
/// The publish function hands a landed publication to <c>stats-cache</c>: over the simulator's world published with the
/// real compiler, a publish delivery returns the stats message, and that message stores the document <c>/v1/stats</c> serves.
/// </summary>
public sealed class PublishToStatsTests(PublishedWorldFixture world) : IClassFixture<PublishedWorldFixture>
{
    [Fact]
    public async Task APublishDelivery_SendsTheBuildToStatsCache_WhichStoresWhatStatsServes()
    {
        using var client = world.CreateClient();
        var buildId = world.Publications[^1].BuildId;
        var before = await client.GetObjectAsync("/v1/stats");

        // A redelivered publish request: the publication has landed, so the stats message goes out (again).
        var output = await ActivatorUtilities.CreateInstance<PublishFunction>(world.Services)
            .Run(JsonSerializer.Serialize(new PublishRequest(buildId), PipelineMessageJson.Default.PublishRequest), CancellationToken.None);
        var message = JsonSerializer.Deserialize(output!, PipelineMessageJson.Default.StatsCacheRequest)!;
        await ActivatorUtilities.CreateInstance<StatsCacheFunction>(world.Services).Run(output!, CancellationToken.None);
        var after = await client.GetObjectAsync("/v1/stats");

        Assert.Equal(buildId, message.BuildId);
        Assert.False((bool)before["stored"]!);
        Assert.True((bool)after["stored"]!);
        Assert.Null(after["shortages"]); // this world syncs no labour-market source (osl, ivi, abs are optional), so its builds read none
        before.Remove("stored");
        after.Remove("stored");
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }
}
