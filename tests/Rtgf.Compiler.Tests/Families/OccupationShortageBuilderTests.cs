using Rtgf.Ingestion.Records;

namespace Rtgf.Compiler.Tests.Families;

public sealed class OccupationShortageBuilderTests
{
    private const string Family = "occupation-shortage";

    [Fact]
    public void Compile_OneTokenPerOccupationAndClassification_SubjectsInOrdinalOrder() =>
        Assert.Equal(
            ["occupation:anzsco-2022:261313", "occupation:anzsco-2022:351411", "occupation:osca-2024:341411"],
            CompiledFacts.Subjects(Family));

    [Fact]
    public void WriteFacts_StatesEveryRatingTheListAndTheOccupation()
    {
        var osl = GoldenCorpus.Snapshots().Single(s => s.Manifest.Source == "osl").Manifest;
        var facts = CompiledFacts.Of(Family, "occupation:anzsco-2022:351411");
        Assert.Equal(
            $$"""{"classification":"anzsco-2022","code":"351411","list":{"digest":"{{osl.Digest}}","year":2025},"national":"S","skill_level":3,"states":{"ACT":"NS","NSW":"S","NT":"S","QLD":"S","SA":"R","TAS":"S","VIC":"S","WA":"S"},"title":"Cook"}""",
            facts.GetRawText());
    }

    [Fact]
    public void WriteFacts_StateTheListLeftBlankAndNoSkillLevel_AreNullNotOmitted()
    {
        var facts = CompiledFacts.Of(Family, "occupation:osca-2024:341411");
        Assert.Equal(
            """{"ACT":null,"NSW":"M","NT":"S","QLD":"S","SA":"R","TAS":"S","VIC":"S","WA":"S"}""",
            facts.GetProperty("states").GetRawText());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, facts.GetProperty("skill_level").ValueKind);
        Assert.Equal("M", facts.GetProperty("national").GetString());
    }

    [Fact]
    public void Compile_NewListWithTheSameRatings_ChangesFactsButNotTheAssertion()
    {
        var before = Shortages(GoldenCorpus.Osl(2025), GoldenCorpus.OslFetchedAt);
        var after = Shortages(GoldenCorpus.Osl(2026), GoldenCorpus.OslFetchedAt.AddDays(365));

        Assert.Equal(before.Select(t => t.Subject), after.Select(t => t.Subject));
        Assert.All(before, b =>
        {
            var a = after.Single(t => t.Subject == b.Subject);
            Assert.NotEqual(b.FactsDigest, a.FactsDigest); // the list (digest, year) is stated
            Assert.Equal(b.AssertionDigest, a.AssertionDigest); // the ratings are what is asserted, and they did not change
        });
    }

    [Fact]
    public void Compile_NewListChangingOneRating_ChangesOnlyThatOccupationsAssertion()
    {
        var before = Shortages(GoldenCorpus.Osl(2025), GoldenCorpus.OslFetchedAt);
        var records = GoldenCorpus.Osl(2026).Cast<OccupationShortageRecord>().ToList();
        var cook = records.Single(r => r.Code == "351411");
        records[records.IndexOf(cook)] = cook with { States = new Dictionary<string, string>(cook.States, StringComparer.Ordinal) { ["ACT"] = "S" } };
        var after = Shortages(records, GoldenCorpus.OslFetchedAt.AddDays(365));

        var changed = before.Where(b => after.Single(a => a.Subject == b.Subject).AssertionDigest != b.AssertionDigest).Select(b => b.Subject);
        Assert.Equal(["occupation:anzsco-2022:351411"], changed);
    }

    [Fact]
    public void Compile_SameOccupationTwice_IsAnInputErrorNamingTheSubject()
    {
        // A snapshot holds one record per key, so the duplicate the compiler must still refuse is written as raw lines.
        var snapshot = GoldenCorpus.Build("osl", GoldenCorpus.OslFetchedAt, GoldenCorpus.Osl());
        var lines = System.Text.Encoding.UTF8.GetString(snapshot.Records.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cook = lines.Single(l => l.Contains("\"code\":\"351411\"", StringComparison.Ordinal));
        var raw = Raw("osl", [.. lines, cook]);

        var tga = GoldenCorpus.Snapshots().Single(s => s.Manifest.Source == "tga"); // the family reads tga beside the list

        var error = Assert.Throws<CompilerInputException>(() => new TokenCompiler(GoldenCorpus.Matrix).Compile([raw, tga], GoldenCorpus.Issuer));
        Assert.Equal("osl", error.Source);
        Assert.Contains("'occupation:anzsco-2022:351411'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_TheListWithoutTga_SkipsTheFamilyNamingTga()
    {
        var osl = GoldenCorpus.Snapshots().Single(s => s.Manifest.Source == "osl");

        var (result, families) = new TokenCompiler(GoldenCorpus.Matrix).CompileWithOutcomes([osl], GoldenCorpus.Issuer);

        Assert.Empty(result.Tokens);
        var shortage = families.Single(f => f.Family == Family);
        Assert.Equal(["tga"], shortage.Missing);
        Assert.Equal(["osl", "tga"], shortage.Sources);
        Assert.Contains(Family, result.SkippedFamilies);
    }

    private static Ingestion.Snapshots.Snapshot Raw(string source, string[] lines)
    {
        var records = System.Text.Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        var manifest = new Ingestion.Snapshots.SnapshotManifest(source, "run-raw", GoldenCorpus.OslFetchedAt, lines.Length, Ingestion.Snapshots.SnapshotBuilder.DigestOf(records), []);
        return new Ingestion.Snapshots.Snapshot(manifest, manifest.ToCanonicalJson(), records);
    }

    private static List<CompiledToken> Shortages(IReadOnlyList<ISnapshotRecord> osl, DateTimeOffset fetchedAt)
    {
        var snapshots = GoldenCorpus.Snapshots().Where(s => s.Manifest.Source != "osl").Append(GoldenCorpus.Build("osl", fetchedAt, osl)).ToList();
        return [.. new TokenCompiler(GoldenCorpus.Matrix).Compile(snapshots, "https://registry.rtgf.test").Tokens.Where(t => t.Family == Family)];
    }
}
