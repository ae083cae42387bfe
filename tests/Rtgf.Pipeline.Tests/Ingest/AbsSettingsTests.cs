using Rtgf.Ingestion.Abs;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>Upstream:Abs:Series and Upstream:Abs:StartPeriod: defaults, parsing, and errors that name the setting.</summary>
public sealed class AbsSettingsTests
{
    [Fact]
    public void Unset_TheDefaultLabourForceAndPopulationQueries_From2015()
    {
        Assert.Equal(
            [new AbsSeriesSelection("ABS,LF,1.0.0", "M3+M12+M13.3.1599.20.1+2+3+4+5+6+7+8+AUS.M"), new AbsSeriesSelection("ABS,ERP_Q,1.0.0", "1.3.TOT.1+2+3+4+5+6+7+8+AUS.Q")],
            UpstreamSettings.AbsSeries(_ => null));
        Assert.Equal("2015", UpstreamSettings.AbsStartPeriod(_ => null));
    }

    [Fact]
    public void Set_EntriesSplitOnSemicolons_AndPeriodsInEverySdmxForm()
    {
        var series = UpstreamSettings.AbsSeries(key => key == "Upstream:Abs:Series" ? " LF/M13.3.1599.20..M ; ERP_Q/all " : null);

        Assert.Equal([new AbsSeriesSelection("LF", "M13.3.1599.20..M"), new AbsSeriesSelection("ERP_Q", "all")], series);
        Assert.Equal("2019-Q3", UpstreamSettings.AbsStartPeriod(_ => "2019-Q3"));
        Assert.Equal("2019-07", UpstreamSettings.AbsStartPeriod(_ => "2019-07"));
    }

    [Theory]
    [InlineData("Upstream:Abs:Series", "LF")]
    [InlineData("Upstream:Abs:Series", "LF/M13/x")]
    [InlineData("Upstream:Abs:Series", " ; ")]
    [InlineData("Upstream:Abs:Series", "LF/M13.3.1599.20.1 2.M")]
    [InlineData("Upstream:Abs:Series", "ABS,LF,1.0.0,x/M13.3.1599.20.1.M")]
    [InlineData("Upstream:Abs:Series", "ABS,LF,1.0.0/M13.3.1599.20.1.M;LF/..")]
    [InlineData("Upstream:Abs:StartPeriod", "2019-13")]
    [InlineData("Upstream:Abs:StartPeriod", "last year")]
    public void Malformed_FailsNamingTheSetting(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            _ = UpstreamSettings.AbsSeries(k => k == key ? value : null);
            _ = UpstreamSettings.AbsStartPeriod(k => k == key ? value : null);
        });

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }
}
