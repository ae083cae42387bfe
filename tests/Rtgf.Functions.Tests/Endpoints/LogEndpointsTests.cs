extern alias cli;

using System.Net;
using Rtgf.Functions.Tests.Support;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Merkle;
using CliApp = cli::Rtgf.Cli.CliApp;
using CliConsole = cli::Rtgf.Cli.CliConsole;

namespace Rtgf.Functions.Tests.Endpoints;

public sealed class LogEndpointsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Checkpoint_IsTheSignedNote_WithETagAnd304()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri("/log/checkpoint", UriKind.Relative));
        var note = await response.Content.ReadAsStringAsync();
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/log/checkpoint");
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var second = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(CheckpointVerifier.Verify(note, [NoteVerifierKey.Parse(api.VerifierKey)], ApiFixture.Origin).IsValid);
        Assert.Equal(api.TokenBatch.Checkpoint.Size, Checkpoint.Parse(SignedNote.Parse(note).Text).Size);
        Assert.Equal("public, max-age=60", response.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("/log/tile/0/000")]
    [InlineData("/log/tile/0/001.p/49")]
    [InlineData("/log/tile/1/000.p/1")]
    [InlineData("/log/tile/entries/000")]
    [InlineData("/log/tile/entries/001.p/49")]
    public async Task Tile_AtItsC2spPath_IsTheStoredObjectAndImmutable(string path)
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((await api.Store.GetAsync(path["/log/".Length..]))!.Content.ToArray(), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/log/tile/0/001.p/50", 404)]
    [InlineData("/log/tile/0/1", 404)]
    [InlineData("/log/tile/0/x000/000", 404)]
    [InlineData("/log/tile/64/000", 404)]
    [InlineData("/log/tile/0/000.p/0", 404)]
    [InlineData("/log/tile/0/000.p/256", 404)]
    [InlineData("/log/tile/entries/x999/x999/x999/x999/x999/x999/999", 404)]
    [InlineData("/log/tile/?path=0/000", 404)] // the empty catch-all is not filled from the query
    public async Task Tile_BadOrUncoveredPath_Is404Problem(string path, int status)
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/log/tile/8/000")]
    [InlineData("/log/tile/15/000.p/1")]
    [InlineData("/log/tile/16/000.p/1")]
    [InlineData("/log/tile/63/000")]
    public async Task Tile_LevelNoTreeSizeReaches_IsRefusedAsAPath(string path)
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var problem = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("is not a tile path", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("0 to 7", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tile_AtTheLastValidLevel_IsCheckedAgainstTheCheckpoint()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri("/log/tile/7/000.p/1", UriKind.Relative));
        var problem = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not covered by the current checkpoint", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0/273.p/112", 0, 273, 112)]
    [InlineData("1/000", 1, 0, 256)]
    [InlineData("1/001.p/17", 1, 1, 17)]
    [InlineData("2/000.p/1", 2, 0, 1)]
    [InlineData("0/x001/x234/067", 0, 1234067, 256)]
    [InlineData("7/x036/x028/x797/x018/x963/967", 7, 36028797018963967, 256)]
    public void TilePath_DocumentedPaths_ParseToTheirAddress(string tail, int level, long index, int width)
    {
        Assert.True(Rtgf.Functions.Log.TilePath.TryParse(tail, out var path, out var error), error);

        Assert.Equal((level, index, width), (path!.Level, path.Index, path.Width));
        Assert.Equal("tile/" + tail, path.Path);
    }

    [Fact]
    public async Task InclusionProof_VerifiesWithMerkleProofVerifier()
    {
        using var client = api.CreateClient();
        var token = api.Tokens[2];

        using var response = await client.GetAsync(new Uri($"/log/proofs/inclusion?index={token.LogIndex}", UriKind.Relative));
        var proof = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = await api.Integrator.LoadAsync();
        var hashes = proof["hashes"]!.AsArray().Select(h => Convert.FromBase64String(h!.GetValue<string>())).ToList();
        var leaf = Convert.FromBase64String(proof["leafHash"]!.GetValue<string>());
        var stored = await api.EntryAsync(token.LogIndex);
        Assert.Equal(MerkleHash.Leaf(stored), leaf);
        Assert.Contains(token.TokenId, System.Text.Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.True(MerkleProofVerifier.VerifyInclusion(token.LogIndex, entry.Checkpoint.Size, leaf, hashes, entry.Checkpoint.RootHash).IsValid);
    }

    [Fact]
    public async Task ConsistencyProof_VerifiesWithMerkleProofVerifier_AndIsImmutableBetweenExplicitSizes()
    {
        using var client = api.CreateClient();
        var (first, second) = (api.FirstBatch.Checkpoint, api.TokenBatch.Checkpoint);

        using var response = await client.GetAsync(new Uri($"/log/proofs/consistency?first={first.Size}&second={second.Size}", UriKind.Relative));
        var proof = await response.ReadObjectAsync();

        var hashes = proof["hashes"]!.AsArray().Select(h => Convert.FromBase64String(h!.GetValue<string>())).ToList();
        Assert.True(MerkleProofVerifier.VerifyConsistency(first.Size, second.Size, first.RootHash, second.RootHash, hashes).IsValid);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/log/proofs/inclusion", 400)]
    [InlineData("/log/proofs/inclusion?index=-1", 400)]
    [InlineData("/log/proofs/inclusion?index=abc", 400)]
    [InlineData("/log/proofs/inclusion?index=99999999999999999999999", 400)]
    [InlineData("/log/proofs/inclusion?index=305", 400)]
    [InlineData("/log/proofs/inclusion?index=1&size=0", 400)]
    [InlineData("/log/proofs/inclusion?index=1&size=9223372036854775807", 400)]
    [InlineData("/log/proofs/inclusion?index=1&leafHash=AAAA", 404)]
    [InlineData("/log/proofs/consistency?first=0", 400)]
    [InlineData("/log/proofs/consistency?first=400", 400)]
    [InlineData("/log/proofs/consistency?first=10&second=5", 400)]
    [InlineData("/log/proofs/consistency?first=162&second=262", 404)]
    public async Task Proofs_BadNumbers_Are4xxProblems(string path, int status)
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cli_VerifiesInclusionAndConsistency_AgainstTheApi()
    {
        using var handler = api.CreateHandler();
        var token = api.Tokens[3];
        var entryFile = Path.Combine(Directory.CreateTempSubdirectory("rtgf-api-cli-").FullName, "entry.json");
        await File.WriteAllBytesAsync(entryFile, await api.EntryAsync(token.LogIndex));
        string[] logArgs = ["--log", "http://localhost/log/", "--key", api.VerifierKey];

        var inclusion = await RunCliAsync(handler, ["log", "verify-inclusion", .. logArgs, "--index", token.LogIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), "--entry", "@" + entryFile]);
        var consistency = await RunCliAsync(handler, ["log", "verify-consistency", .. logArgs, "--old-size", api.FirstBatch.Checkpoint.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), "--old-root", api.FirstBatch.Checkpoint.RootHashBase64]);
        var wrongEntry = await RunCliAsync(handler, ["log", "verify-inclusion", .. logArgs, "--index", (token.LogIndex - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--entry", "@" + entryFile]);

        Assert.True(inclusion.Code == 0, inclusion.Output + inclusion.Error);
        Assert.True(consistency.Code == 0, consistency.Output + consistency.Error);
        Assert.Equal(1, wrongEntry.Code);
    }

    private static async Task<(int Code, string Output, string Error)> RunCliAsync(HttpMessageHandler handler, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliConsole(TextReader.Null, output, error, handler));
        return (code, output.ToString(), error.ToString());
    }
}
