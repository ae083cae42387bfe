namespace Rtgf.Infra.Tests;

/// <summary>
/// The P0 alert that sees a full outage: a Standard availability test on the edge's health path from several locations,
/// and a metric alert on it that goes to the action group (the worker-side P0 alert sees only invocations that happened).
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class AvailabilityTests(InfraFixture infra)
{
    [Fact]
    public void AStandardWebTest_ProbesTheEdgeHealthPath_FromSeveralLocations()
    {
        var test = Assert.Single(infra.Defaults.OfType("Microsoft.Insights/webtests"));
        Assert.Equal("standard", (string)test["kind"]!);
        var properties = test["properties"]!;
        Assert.Equal("standard", (string)properties["Kind"]!);
        Assert.True((bool)properties["Enabled"]!);
        Assert.True(properties["Locations"]!.AsArray().Count >= 3);
        var url = (string)properties["Request"]!["RequestUrl"]!;
        // The edge module's host name output (the Front Door endpoint), not the app's azurewebsites.net host.
        Assert.StartsWith("[format('https://{0}/.well-known/rtgf', reference(", url, StringComparison.Ordinal);
        Assert.Contains("format('edge-{0}'", url, StringComparison.Ordinal);
        Assert.Contains(".outputs.hostName.value", url, StringComparison.Ordinal);
        Assert.Equal(200, (int)properties["ValidationRules"]!["ExpectedHttpStatusCode"]!);
        Assert.Contains("hidden-link:", test["tags"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AP0MetricAlert_WatchesTheWebTest_AndNotifiesTheActionGroup()
    {
        var alert = Assert.Single(infra.Defaults.OfType("Microsoft.Insights/metricAlerts"))["properties"]!;
        Assert.Equal(0, (int)alert["severity"]!);
        Assert.True((bool)alert["enabled"]!);
        var criteria = alert["criteria"]!;
        Assert.Equal("Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria", (string)criteria["odata.type"]!);
        Assert.Contains("webtests", (string)criteria["webTestId"]!, StringComparison.OrdinalIgnoreCase);
        Assert.True((int)criteria["failedLocationCount"]! >= 1);
        Assert.Single(alert["actions"]!.AsArray());
    }
}
