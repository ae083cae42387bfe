using Rtgf.Pipeline.Messages;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Publishing;

[Collection(PublishingCollection.Name)]
public sealed class BuildCompilationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CompileAsync_LatestSnapshots_StoresManifestAndInputsOnce()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var snapshot = RecordsCompiler.Snapshot("run-1", TestTokens.FetchedAt, ("rto:1", """{"name":"Alpha"}"""));
        await world.Snapshots.WriteAsync(snapshot);
        var compilation = world.Compilation(new RecordsCompiler());

        var qa = await compilation.CompileAsync(new CompileRequest("test", snapshot.Manifest.Digest, "run-1"));
        var again = await compilation.CompileAsync(new CompileRequest("test", snapshot.Manifest.Digest, "run-1"));

        Assert.NotNull(qa);
        Assert.Equal(qa, again);
        var stored = await world.Builds.GetAsync(qa.BuildId);
        Assert.NotNull(stored);
        Assert.Equal("sha256:" + TestTokens.Hex(stored.ManifestJson.Span), qa.BuildId);
        var input = Assert.Single(stored.Inputs);
        Assert.Equal(("test", snapshot.Manifest.Digest, 1L), (input.Source, input.Digest, input.RecordCount));
    }

    [Fact]
    public async Task CompileAsync_SourceWithoutSnapshot_CompilesNothing()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);

        var qa = await world.Compilation(new RecordsCompiler()).CompileAsync(new CompileRequest("test", "sha256:" + new string('0', 64), "run-0"));

        Assert.Null(qa);
    }
}
