using System.Text.Json;
using Rtgf.Compiler;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>
/// The <c>occupation-shortage</c> family through the real compiler and matrix, the compile stage and the publisher on
/// Azurite: the optional OSL source never holds up a build, and a new list revokes exactly the occupations whose ratings
/// changed, replacing the others without revocation.
/// </summary>
[Collection(PublishingCollection.Name)]
public sealed class OccupationShortagePublicationTests(AzuriteFixture azurite)
{
    private const string Cook = "occupation:anzsco-2022:351411";
    private const string Engineer = "occupation:anzsco-2022:261313";
    private const string OscaCook = "occupation:osca-2024:341411";

    private static readonly RtoRecord Acme = new("90001", "Acme Training Pty Ltd", "51824753556", [], "Current", "ASQA", new DateOnly(2020, 1, 1), null, null);

    private static readonly MatrixBuildCompiler Compiler = new(new TokenCompiler(PolicyMatrix.LoadDefault()));

    [Fact]
    public async Task CompileAsync_RequiredSourcesWithoutOsl_BuildsAndSkipsOnlyTheShortageFamily()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        await WriteRequiredSourcesAsync(world);

        var build = await CompileAsync(world, "run-1");

        Assert.Equal(["cricos", "sanctions", "teqsa", "tga"], build.Stored.Inputs.Select(i => i.Source));
        using var manifest = JsonDocument.Parse(build.Stored.ManifestJson);
        var shortage = manifest.RootElement.GetProperty("families").EnumerateArray().Single(f => f.GetProperty("family").GetString() == "occupation-shortage");
        Assert.Equal("""{"family":"occupation-shortage","missing":["osl"],"sources":["osl","tga"],"status":"skipped"}""", shortage.GetRawText());
        Assert.Contains(build.Compiled.Tokens, t => t.Family == "rto-registration");
    }

    [Fact]
    public async Task CompileAsync_RequiredSourceMissing_StillWaits()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        await WriteRequiredSourcesAsync(world, except: "teqsa");
        await world.Snapshots.WriteAsync(Osl(2025, TestTokens.FetchedAt));

        var qa = await world.Compilation(Compiler).CompileAsync(new CompileRequest("osl", "sha256:" + new string('0', 64), "run-1"));

        Assert.Null(qa);
    }

    [Fact]
    public async Task PublishAsync_NewListChangingOneRating_RevokesAndReplacesThatOccupationOnly_AndRedeliveryChangesNothing()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        await WriteRequiredSourcesAsync(world);
        await world.Snapshots.WriteAsync(Osl(2025, TestTokens.FetchedAt));
        var first = await CompileAsync(world, "run-1");
        var published = await world.Publisher().PublishAsync(first.Stored, first.Compiled);
        Assert.Equal(3, first.Compiled.Tokens.Count(t => t.Family == "occupation-shortage"));
        var before = first.Compiled.Tokens.Where(t => t.Family == "occupation-shortage").ToDictionary(t => t.Subject, t => t.TokenId);
        Assert.Equal(before[Cook], Assert.Single(await world.Registry.GetLatestAsync(Cook)).TokenId);
        Assert.True(published.Issued > 3);

        // The 2026 list: the cook is now in shortage in the ACT; nothing else changed.
        world.Clock.Advance(TimeSpan.FromHours(2));
        await world.Snapshots.WriteAsync(Osl(2026, TestTokens.FetchedAt.AddHours(1), actCook: "S"));
        var second = await CompileAsync(world, "run-2");
        var after = second.Compiled.Tokens.Where(t => t.Family == "occupation-shortage").ToDictionary(t => t.Subject, t => t.TokenId);
        var publication = await world.Publisher().PublishAsync(second.Stored, second.Compiled);

        Assert.Equal((3L, 1L), (publication.Issued, publication.Revoked)); // three new shortage tokens (the other families unchanged), one revocation
        var revoked = await world.Revocations.GetRevocationAsync(before[Cook]);
        Assert.NotNull(revoked);
        Assert.Equal(("occupation-shortage", Cook, "automatic", "facts changed", after[Cook]), (revoked.Family, revoked.Subject, revoked.Kind, revoked.Reason, revoked.ReplacedBy));
        foreach (var subject in new[] { Cook, Engineer, OscaCook })
        {
            Assert.Equal(after[subject], Assert.Single(await world.Registry.GetLatestAsync(subject)).TokenId);
        }

        // The engineer and the OSCA cook are rated as before: replaced by the 2026 list's tokens, the old ones still true.
        Assert.Null(await world.Revocations.GetRevocationAsync(before[Engineer]));
        Assert.Null(await world.Revocations.GetRevocationAsync(before[OscaCook]));
        var cook = second.Compiled.Tokens.Single(t => t.TokenId == after[Cook]);
        Assert.Equal(cook.FactsDigest, (await world.Registry.GetAsync(after[Cook]))!.FactsDigest);
        using var document = JsonDocument.Parse(cook.FactsJson);
        var facts = document.RootElement;
        Assert.Equal("S", facts.GetProperty("states").GetProperty("ACT").GetString());
        Assert.Equal(2026, facts.GetProperty("list").GetProperty("year").GetInt32());

        // Re-delivery of the same build: the same publication, nothing written.
        var size = await world.LogSizeAsync();
        var again = await world.Publisher().PublishAsync(second.Stored, second.Compiled);
        Assert.Equal(publication, again);
        Assert.Equal(size, await world.LogSizeAsync());
        Assert.Equal(after[Cook], Assert.Single(await world.Registry.GetLatestAsync(Cook)).TokenId);
    }

    [Fact]
    public async Task PublishAsync_NewTgaSnapshotPastHalfTheValidity_RenewsTheShortageTokensWhileTheListStands()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        await WriteRequiredSourcesAsync(world);
        await world.Snapshots.WriteAsync(Osl(2025, TestTokens.FetchedAt));
        var first = await CompileAsync(world, "run-1");
        await world.Publisher().PublishAsync(first.Stored, first.Compiled);
        var before = Shortages(first.Compiled);

        // Twenty days on (past half of the 30-day validity) TGA has a new snapshot; the yearly list is unchanged, so
        // osl-sync cut none. The shortage tokens are renewed from the later fetch, not left to expire.
        var tgaFetchedAt = TestTokens.FetchedAt.AddDays(20);
        world.Clock.Advance(TimeSpan.FromDays(20));
        await world.Snapshots.WriteAsync(SnapshotBuilder.Build("tga", "run-tga-2", tgaFetchedAt, [], [Acme, new RtoRecord("90002", "Beta Skills Pty Ltd", null, [], "Current", "ASQA", new DateOnly(2021, 1, 1), null, null)]));
        var second = await CompileAsync(world, "run-2");
        var after = Shortages(second.Compiled);
        var publication = await world.Publisher().PublishAsync(second.Stored, second.Compiled);

        Assert.Equal(0L, publication.Revoked);
        foreach (var subject in new[] { Cook, Engineer, OscaCook })
        {
            Assert.NotEqual(before[subject], after[subject]);
            Assert.Equal(after[subject], Assert.Single(await world.Registry.GetLatestAsync(subject)).TokenId);
            Assert.Null(await world.Revocations.GetRevocationAsync(before[subject]));
            var renewed = second.Compiled.Tokens.Single(t => t.TokenId == after[subject]);
            Assert.Equal((tgaFetchedAt, tgaFetchedAt.AddDays(30)), (renewed.IssuedAt, renewed.Expires));
            Assert.Equal(first.Compiled.Tokens.Single(t => t.TokenId == before[subject]).FactsDigest, renewed.FactsDigest);
        }
    }

    [Fact]
    public async Task PublishAsync_ABuildThatSkippedOslAfterOneThatReadIt_RevokesNothingAndLeavesTheShortageCatalog()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        await WriteRequiredSourcesAsync(world);
        var withoutOsl = await CompileAsync(world, "run-1"); // compiled before the first OSL snapshot, published late
        await world.Snapshots.WriteAsync(Osl(2025, TestTokens.FetchedAt));
        var withOsl = await CompileAsync(world, "run-2");
        var first = await world.Publisher().PublishAsync(withOsl.Stored, withOsl.Compiled);
        var shortages = Shortages(withOsl.Compiled);

        world.Clock.Advance(TimeSpan.FromHours(1));
        var late = await world.Publisher().PublishAsync(withoutOsl.Stored, withoutOsl.Compiled);

        Assert.Equal((0L, 0L, first.RevocationEpoch), (late.Issued, late.Revoked, late.RevocationEpoch));
        foreach (var (subject, tokenId) in shortages)
        {
            Assert.Equal(tokenId, Assert.Single(await world.Registry.GetLatestAsync(subject)).TokenId);
            Assert.Null(await world.Revocations.GetRevocationAsync(tokenId));
        }
    }

    private static Dictionary<string, string> Shortages(CompileResult compiled) =>
        compiled.Tokens.Where(t => t.Family == "occupation-shortage").ToDictionary(t => t.Subject, t => t.TokenId, StringComparer.Ordinal);

    private static async Task<(StoredBuild Stored, CompileResult Compiled)> CompileAsync(PublishingWorld world, string runId)
    {
        var qa = await world.Compilation(Compiler).CompileAsync(new CompileRequest("osl", "sha256:" + new string('0', 64), runId));
        Assert.NotNull(qa);
        var stored = (await world.Builds.GetAsync(qa.BuildId))!;
        // As QA and publish do: recompile exactly the inputs the build read.
        var compiled = Compiler.Compile(await BuildCompilation.LoadInputsAsync(world.Snapshots, stored, CancellationToken.None), TestTokens.Issuer);
        Assert.Equal(qa.BuildId, compiled.BuildId);
        return (stored, compiled);
    }

    private static async Task WriteRequiredSourcesAsync(PublishingWorld world, string? except = null)
    {
        var records = new Dictionary<string, ISnapshotRecord[]>(StringComparer.Ordinal)
        {
            ["tga"] = [Acme],
            ["cricos"] = [],
            ["sanctions"] = [],
            ["teqsa"] = [],
        };
        foreach (var (source, items) in records.Where(r => r.Key != except))
        {
            await world.Snapshots.WriteAsync(SnapshotBuilder.Build(source, "run-" + source, TestTokens.FetchedAt, [], items));
        }
    }

    private static Snapshot Osl(int year, DateTimeOffset fetchedAt, string actCook = "NS")
    {
        static Dictionary<string, string> States(string rating, string act) =>
            OccupationShortageRecord.StateCodes.ToDictionary(s => s, s => s == "ACT" ? act : rating, StringComparer.Ordinal);

        return SnapshotBuilder.Build("osl", "run-osl-" + year, fetchedAt, [],
        [
            new OccupationShortageRecord(OccupationShortageRecord.AnzscoClassification, "351411", "Cook", year, "S", States("S", actCook), 3),
            new OccupationShortageRecord(OccupationShortageRecord.AnzscoClassification, "261313", "Software Engineer", year, "NS", States("NS", "NS"), 1),
            new OccupationShortageRecord(OccupationShortageRecord.OscaClassification, "341411", "Cook", year, "S", States("S", "R"), null),
        ]);
    }
}
