using Rtgf.Pipeline.Messages;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>Duplicate work collapses: a build is handed to the next stage by one message, and again only by a redelivery of it.</summary>
[Collection(PublishingCollection.Name)]
public sealed class HandOffClaimsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CompileMessagesForTheSameInputsConcurrently_HandTheBuildToQaOnce()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var compiler = new RecordsCompiler();
        var snapshot = RecordsCompiler.Snapshot("run-1", TestTokens.FetchedAt, ("rto:1", """{"name":"Alpha"}"""));
        await world.Snapshots.WriteAsync(snapshot);
        var handOffs = world.HandOffs();

        // Eight syncs finishing together, each with its own compile message: the same build, one QA request.
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var qa = (await world.Compilation(compiler).CompileAsync(new CompileRequest(RecordsCompiler.Source, snapshot.Manifest.Digest, "run-" + i)))!;
            return (qa.BuildId, MessageId: "compile-" + i, Sent: await handOffs.ClaimAsync(PipelineQueues.Qa, qa.BuildId, "compile-" + i));
        }));

        Assert.Single(deliveries.Select(d => d.BuildId).Distinct(StringComparer.Ordinal));
        var winner = Assert.Single(deliveries, d => d.Sent);

        // Later deliveries: the winner's redelivery (it may have crashed before its output was sent) sends again; no other does.
        Assert.True(await handOffs.ClaimAsync(PipelineQueues.Qa, winner.BuildId, winner.MessageId));
        foreach (var loser in deliveries.Where(d => !d.Sent))
        {
            Assert.False(await handOffs.ClaimAsync(PipelineQueues.Qa, loser.BuildId, loser.MessageId));
        }
    }

    [Fact]
    public async Task SameMessageDeliveredTwiceConcurrently_BothSend_AndOtherMessagesDoNot()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var handOffs = world.HandOffs();
        var build = "sha256:" + new string('a', 64);

        // A redelivery cannot be told from a crash after claiming, so both deliveries of one message send (QA then collapses them).
        var twice = await Task.WhenAll(handOffs.ClaimAsync(PipelineQueues.Publish, build, "qa-1"), handOffs.ClaimAsync(PipelineQueues.Publish, build, "qa-1"));

        Assert.Equal([true, true], twice);
        Assert.False(await handOffs.ClaimAsync(PipelineQueues.Publish, build, "qa-2"));
    }

    [Fact]
    public async Task Claims_AreKeptPerQueueAndBuild()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var handOffs = world.HandOffs();
        var one = "sha256:" + new string('1', 64);
        var two = "sha256:" + new string('2', 64);

        Assert.True(await handOffs.ClaimAsync(PipelineQueues.Qa, one, "m-1"));
        Assert.True(await handOffs.ClaimAsync(PipelineQueues.Publish, one, "m-2"));
        Assert.True(await handOffs.ClaimAsync(PipelineQueues.Qa, two, "m-3"));
        Assert.False(await handOffs.ClaimAsync(PipelineQueues.Qa, one, "m-3"));
    }
}
