namespace Rtgf.Register.Tests;

public sealed class RegisterSourcesTests
{
    [Fact]
    public void Sources_AreThePipelineSourceNames() =>
        Assert.Equal(["cricos", "sanctions", "teqsa", "tga"], new[] { RegisterSources.Tga, RegisterSources.Cricos, RegisterSources.Teqsa, RegisterSources.Sanctions }.Order(StringComparer.Ordinal));

    [Fact]
    public void LabourMarketSources_AreTheIngestSourceNames() =>
        Assert.Equal(
            [Rtgf.Pipeline.Ingest.IngestSources.Osl, Rtgf.Pipeline.Ingest.IngestSources.Ivi, Rtgf.Pipeline.Ingest.IngestSources.Abs],
            new[] { RegisterSources.Osl, RegisterSources.Ivi, RegisterSources.Abs });
}
