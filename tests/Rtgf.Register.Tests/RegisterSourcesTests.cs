namespace Rtgf.Register.Tests;

public sealed class RegisterSourcesTests
{
    [Fact]
    public void Sources_AreThePipelineSourceNames() =>
        Assert.Equal(["cricos", "sanctions", "teqsa", "tga"], new[] { RegisterSources.Tga, RegisterSources.Cricos, RegisterSources.Teqsa, RegisterSources.Sanctions }.Order(StringComparer.Ordinal));
}
