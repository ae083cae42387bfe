using System.Net;
using Rtgf.Azure.Snapshots;

namespace Rtgf.Functions.Tests.Stats;

/// <summary>
/// <c>/v1/stats</c> when the computation fails on something other than a missing build (its own app, so the other stats
/// tests' documents are untouched): a snapshot the served generation read is corrupted afterwards, so computing the
/// statistics meets a <c>SnapshotException</c> — a 503 problem with <c>Retry-After</c>, never a 500.
/// </summary>
public sealed class StatsFailureTests(StatsAppFixture app) : IClassFixture<StatsAppFixture>
{
    [Fact]
    public async Task ASnapshotCorruptedAfterTheGenerationLoaded_IsA503ProblemWithRetryAfter()
    {
        using var client = app.CreateClient();
        await app.Generations.RefreshAsync(); // the generation is served from memory from here on
        var first = app.Publications[0];
        using var rtos = await client.GetAsync("/v1/rtos");
        Assert.Equal(HttpStatusCode.OK, rtos.StatusCode);

        var build = (await app.Services.GetRequiredService<Pipeline.Publishing.IBuildStore>().GetAsync(first.BuildId))!;
        var input = build.Inputs.Single(i => i.Source == "abs");
        var blob = app.Azurite.BlobService().GetBlobContainerClient(app.Prefix + "snapshots")
            .GetBlobClient(BlobSnapshotStore.RecordsPath(input.Source, input.Digest["sha256:".Length..]));
        await blob.UploadAsync(BinaryData.FromString("{\"not\":\"the records\"}\n"), overwrite: true);

        using var response = await client.GetAsync("/v1/stats");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"/v1/stats answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.Contains("cannot be computed", text, StringComparison.Ordinal);
    }
}
