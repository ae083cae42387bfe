namespace Rtgf.Compiler.Tests.Families;

public sealed class TrainingComponentBuilderTests
{
    [Fact]
    public void WriteFacts_CurrentComponent_LatestReleaseAndOpenUsage()
    {
        Assert.Equal(
            """{"code":"BSB40120","currency":"Current","current_release":{"date":"2022-03-01","number":"2"},"parent_code":"BSB","status":"Current","superseded_by":[],"supersedes":["BSB40115"],"title":"Certificate IV in Business","types":["Qualification"],"usage_recommendation":{"start":"2020-01-01","state":"Current"}}""",
            CompiledFacts.Of("training-component", "tc:BSB40120").GetRawText());
    }

    [Fact]
    public void WriteFacts_SupersededComponent_NamesSuccessorAndOpenRecommendation()
    {
        var facts = CompiledFacts.Of("training-component", "tc:BSB40115");
        Assert.Equal("Superseded", facts.GetProperty("status").GetString());
        Assert.Equal("BSB40120", facts.GetProperty("superseded_by")[0].GetString());
        Assert.Equal("Superseded", facts.GetProperty("usage_recommendation").GetProperty("state").GetString());
        Assert.Equal("2020-01-01", facts.GetProperty("usage_recommendation").GetProperty("start").GetString());
    }

    [Fact]
    public void WriteFacts_NoReleasesOrUsage_Nulls()
    {
        var facts = CompiledFacts.Of("training-component", "tc:BSBWHS411");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, facts.GetProperty("current_release").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, facts.GetProperty("usage_recommendation").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, facts.GetProperty("currency").ValueKind);
    }

    [Fact]
    public void Compile_Tombstone_GivesNoToken() =>
        Assert.Equal(["tc:BSB40115", "tc:BSB40120", "tc:BSBWHS411"], CompiledFacts.Subjects("training-component"));

    [Fact]
    public void CurrentRelease_SameDate_HigherNumberWinsNumerically()
    {
        var releases = new[] { new Rtgf.Compiler.Input.ReleaseEntry("10", "2024-01-01", null), new Rtgf.Compiler.Input.ReleaseEntry("9", "2024-01-01", null) };
        Assert.Equal("10", Rtgf.Compiler.Families.TrainingComponentBuilder.CurrentRelease(releases)!.ReleaseNumber);
    }
}
