using Rtgf.Ingestion.Records;

namespace Rtgf.Compiler.Tests.Families;

public sealed class SanctionsScreenBuilderTests
{
    [Fact]
    public void WriteFacts_NameMatch_ListsTheListingAndNormalisedName()
    {
        var facts = CompiledFacts.Of("sanctions-screen", "rto:90003");
        Assert.Equal("match", facts.GetProperty("result").GetString());
        Assert.Equal(
            """[{"field":"name","listed":"KREMLIN HOLDINGS LIMITED","reference":"101","screened":"KREMLIN HOLDINGS"}]""",
            facts.GetProperty("matches").GetRawText());
    }

    [Fact]
    public void WriteFacts_AbnInListingText_Matches()
    {
        var facts = CompiledFacts.Of("sanctions-screen", "rto:90004");
        Assert.Equal("match", facts.GetProperty("result").GetString());
        Assert.Equal(
            """[{"field":"abn","listed":"Associated entity ABN 12 345 678 901","reference":"103","screened":"12345678901"}]""",
            facts.GetProperty("matches").GetRawText());
    }

    [Fact]
    public void WriteFacts_NoMatch_StatesRuleListAndScreenedNames()
    {
        var facts = CompiledFacts.Of("sanctions-screen", "rto:90001");
        Assert.Equal("no-match", facts.GetProperty("result").GetString());
        Assert.Equal(0, facts.GetProperty("matches").GetArrayLength());
        Assert.Equal(["ACME ACADEMY", "ACME SKILLS", "ACME TRAINING"], facts.GetProperty("screened_names").EnumerateArray().Select(n => n.GetString()));
        var dfat = GoldenCorpus.Snapshots().Single(s => s.Manifest.Source == "sanctions").Manifest;
        Assert.Equal(
            $$"""{"digest":"{{dfat.Digest}}","entries":3,"fetched_at":"2026-11-21T06:30:00Z"}""",
            facts.GetProperty("list").GetRawText());
        Assert.Equal("name-and-abn-v1", facts.GetProperty("rule").GetProperty("id").GetString());
        Assert.Contains("PTY", facts.GetProperty("rule").GetProperty("ignored_words").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public void Compile_NewerListWithTheSameResults_ChangesFactsButNotTheAssertion()
    {
        var before = Screens(GoldenCorpus.Dfat(), GoldenCorpus.DfatFetchedAt);
        var unrelated = new SanctionsListingRecord("104", "Unrelated Shipping Co", "Entity", [], null, null, null, null, "Iran", new DateOnly(2026, 11, 24), "Autonomous Sanctions");
        var after = Screens([.. GoldenCorpus.Dfat(), unrelated], GoldenCorpus.DfatFetchedAt.AddDays(3));

        Assert.All(before, b =>
        {
            var a = after.Single(t => t.Subject == b.Subject);
            Assert.NotEqual(b.FactsDigest, a.FactsDigest); // the list (digest, entries, time) is stated
            Assert.Equal(b.AssertionDigest, a.AssertionDigest); // but nothing asserted about the RTO changed
        });
    }

    [Fact]
    public void Compile_NewListingMatchingAnRto_ChangesItsAssertionOnly()
    {
        var before = Screens(GoldenCorpus.Dfat(), GoldenCorpus.DfatFetchedAt);
        var acme = new SanctionsListingRecord("105", "Acme Training Pty Ltd", "Entity", [], null, null, null, null, "Syria", new DateOnly(2026, 11, 24), "Autonomous Sanctions");
        var after = Screens([.. GoldenCorpus.Dfat(), acme], GoldenCorpus.DfatFetchedAt.AddDays(3));

        var changed = before.Where(b => after.Single(a => a.Subject == b.Subject).AssertionDigest != b.AssertionDigest).Select(b => b.Subject);
        Assert.Equal(["rto:90001"], changed);
    }

    [Fact]
    public void Compile_FamiliesWithoutProvenance_AssertionIsTheFacts() =>
        Assert.All(
            new TokenCompiler(GoldenCorpus.Matrix).Compile(GoldenCorpus.Snapshots(), "https://registry.rtgf.test").Tokens.Where(t => t.Family is not ("sanctions-screen" or "occupation-shortage")),
            t => Assert.Equal(t.FactsDigest, t.AssertionDigest));

    private static List<CompiledToken> Screens(IReadOnlyList<ISnapshotRecord> dfat, DateTimeOffset fetchedAt)
    {
        var snapshots = GoldenCorpus.Snapshots().Where(s => s.Manifest.Source != "sanctions").Append(GoldenCorpus.Build("sanctions", fetchedAt, dfat)).ToList();
        return [.. new TokenCompiler(GoldenCorpus.Matrix).Compile(snapshots, "https://registry.rtgf.test").Tokens.Where(t => t.Family == "sanctions-screen")];
    }

    [Fact]
    public void Compile_EveryRtoIsScreened() =>
        Assert.Equal(["rto:90001", "rto:90002", "rto:90003", "rto:90004"], CompiledFacts.Subjects("sanctions-screen"));
}
