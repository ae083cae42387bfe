using Rtgf.LocalRunner.Hosting;

namespace Rtgf.LocalRunner.Tests.Hosting;

public sealed class SettingDefaultsTests
{
    [Fact]
    public void Apply_FillsOnlyUnsetSettings_AndExplicitOnesWinInEitherForm()
    {
        var settings = new LocalSettings("local.settings.json", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Upstream__Cricos__BaseUrl"] = "https://data.gov.au/",
            ["Upstream:Teqsa:BaseUrl"] = "https://www.teqsa.gov.au/",
            ["Upstream__Dfat__BaseUrl"] = string.Empty,
        }, null);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["Upstream__Cricos__BaseUrl"] = "https://data.gov.au/" };

        var applied = SettingDefaults.Apply(environment, settings, [
            new("Upstream__Cricos__BaseUrl", "http://127.0.0.1:1/"),
            new("Upstream__Teqsa__BaseUrl", "http://127.0.0.1:1/"),
            new("Upstream__Dfat__BaseUrl", "http://127.0.0.1:1/"),
            new("Upstream__Tga__BaseUrl", "http://127.0.0.1:1/Deewr.Tga.WebServices/"),
        ]);

        Assert.Equal(["Upstream__Dfat__BaseUrl", "Upstream__Tga__BaseUrl"], applied);
        Assert.Equal("https://data.gov.au/", environment["Upstream__Cricos__BaseUrl"]);
        Assert.False(environment.ContainsKey("Upstream__Teqsa__BaseUrl"));
        Assert.Equal("http://127.0.0.1:1/", environment["Upstream__Dfat__BaseUrl"]);
    }

    [Fact]
    public void IsSet_EmptyValue_CountsAsUnset() =>
        Assert.False(SettingDefaults.IsSet(new LocalSettings("x", new Dictionary<string, string> { ["Signing__DevelopmentKeyPath"] = string.Empty }, null), "Signing__DevelopmentKeyPath"));
}
