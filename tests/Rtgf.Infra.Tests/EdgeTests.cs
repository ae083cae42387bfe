using System.Reflection;
using System.Text.Json.Nodes;

namespace Rtgf.Infra.Tests;

/// <summary>Front Door: WAF in prevention mode, caching only what the app says is cacheable, probes and the second region.</summary>
[Collection(InfraCollection.Name)]
public sealed class EdgeTests(InfraFixture infra)
{
    // Paths whose answers depend on the caller or change state: never cached at the edge.
    private static readonly string[] NeverCached = ["/ops", "/ops/api-keys", "/v1/billing/checkout", "/v1/rtos", "/verify", "/hooks/stripe", "/mcp"];

    [Fact]
    public void TheWaf_IsEnabled_InPrevention_WithTheManagedRules_OnEveryPath()
    {
        var policy = Assert.Single(infra.Defaults.OfType("Microsoft.Network/FrontDoorWebApplicationFirewallPolicies"))["properties"]!;
        Assert.Equal("Enabled", (string)policy["policySettings"]!["enabledState"]!);
        Assert.Equal("Prevention", (string)policy["policySettings"]!["mode"]!);
        var ruleSets = policy["managedRules"]!["managedRuleSets"]!.AsArray().Select(r => (string)r!["ruleSetType"]!).ToList();
        Assert.Contains("Microsoft_DefaultRuleSet", ruleSets);
        Assert.Contains(policy["customRules"]!["rules"]!.AsArray(), r => (string)r!["ruleType"]! == "RateLimitRule" && (string)r["action"]! == "Block");

        var security = Assert.Single(infra.Defaults.OfType("Microsoft.Cdn/profiles/securityPolicies"))["properties"]!["parameters"]!;
        Assert.Equal("WebApplicationFirewall", (string)security["type"]!);
        var association = Assert.Single(security["associations"]!.AsArray());
        Assert.Equal(["/*"], association!["patternsToMatch"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public void TheEdge_Refuses_TheHostsAdminRoutes_AndNothingElse()
    {
        var policy = Assert.Single(infra.Defaults.OfType("Microsoft.Network/FrontDoorWebApplicationFirewallPolicies"))["properties"]!;
        var rule = Assert.Single(policy["customRules"]!["rules"]!.AsArray(), r => (string)r!["name"]! == "BlockHostAdmin")!;
        Assert.Equal(("MatchRule", "Block"), ((string)rule["ruleType"]!, (string)rule["action"]!));
        var condition = Assert.Single(rule["matchConditions"]!.AsArray())!;
        Assert.Equal(("RequestUri", "RegEx", false), ((string)condition["matchVariable"]!, (string)condition["operator"]!, (bool)condition["negateCondition"]!));
        Assert.Contains("Lowercase", condition["transforms"]!.AsArray().Select(t => (string)t!));
        var pattern = new System.Text.RegularExpressions.Regex((string)Assert.Single(condition["matchValue"]!.AsArray())!, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

        string[] blocked = ["https://rtgf.azurefd.net/admin/functions/tga-sync", "https://rtgf.azurefd.net/admin", "https://rtgf.azurefd.net/admin?x=1", "https://rtgf.azurefd.net/admin/host/status"];
        string[] served = ["https://rtgf.azurefd.net/ops/metrics", "https://rtgf.azurefd.net/administrators", "https://rtgf.azurefd.net/v1/rtos?q=/admin/", "https://rtgf.azurefd.net/.well-known/rtgf"];
        Assert.All(blocked, uri => Assert.Matches(pattern, uri));
        Assert.All(served, uri => Assert.DoesNotMatch(pattern, uri));
    }

    [Fact]
    public void OnlyRegistryPaths_AreCached_NeverOperatorApiBillingOrVerifierPaths()
    {
        var routes = infra.Defaults.OfType("Microsoft.Cdn/profiles/afdEndpoints/routes");
        var cached = routes.Where(r => r["properties"]!["cacheConfiguration"] is not null).ToList();
        Assert.NotEmpty(cached);

        foreach (var path in NeverCached)
        {
            Assert.DoesNotContain(cached, r => Patterns(r).Any(p => Matches(p, path)));
            Assert.Contains(routes, r => Patterns(r).Any(p => Matches(p, path))); // still served, through an uncached route
        }

        foreach (var path in new[] { "/log/checkpoint", "/log/tile/0/000", "/tokens/abc", "/.well-known/jwks.json", "/revocations/status-lists/rto-registration/0" })
        {
            Assert.Contains(cached, r => Patterns(r).Any(p => Matches(p, path)));
        }

        var catchAll = Assert.Single(routes, r => Patterns(r).Contains("/*"));
        Assert.Null(catchAll["properties"]!["cacheConfiguration"]);
    }

    [Fact]
    public void TheCheckpoint_IsCachedForTheAppsShortMaxAge_ImmutableObjectsAsTheOriginSays()
    {
        var shortMaxAge = (int)CodeNames.App.GetType("Rtgf.Functions.Http.HttpCaching", throwOnError: true)!
            .GetField("ShortMaxAge", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
        var rules = infra.Defaults.OfType("Microsoft.Cdn/profiles/ruleSets/rules");

        var checkpoint = Override(Assert.Single(rules, r => ((string)r["name"]!).EndsWith("/checkpoint", StringComparison.Ordinal)));
        Assert.Equal(["/log/checkpoint"], checkpoint.Paths);
        Assert.Equal(TimeSpan.FromSeconds(shortMaxAge), TimeSpan.Parse((string)checkpoint.Cache["cacheDuration"]!, System.Globalization.CultureInfo.InvariantCulture));

        var immutable = Override(Assert.Single(rules, r => ((string)r["name"]!).EndsWith("/immutable", StringComparison.Ordinal)));
        Assert.Equal("HonorOrigin", (string)immutable.Cache["cacheBehavior"]!);
        Assert.Equal(["/log/tile/", "/tokens/"], immutable.Paths);
    }

    [Fact]
    public void HealthProbes_UseAnAnonymousRegistryRouteTheAppServes()
    {
        var routes = CodeNames.HttpRoutes();
        Assert.All(infra.Defaults.OfType("Microsoft.Cdn/profiles/originGroups"), group =>
        {
            var probe = group["properties"]!["healthProbeSettings"]!;
            Assert.Equal("Https", (string)probe["probeProtocol"]!);
            Assert.Contains(((string)probe["probePath"]!).TrimStart('/'), routes);
        });
    }

    [Fact]
    public void ASecondRegion_ServesTheRegistryAndVerifierAsFailover_AndRunsNoBackgroundFunction()
    {
        var origins = infra.Full.OfType("Microsoft.Cdn/profiles/originGroups/origins");
        var registry = origins.Where(o => ((string)o["name"]!).Contains("/registry/", StringComparison.Ordinal)).ToList();
        Assert.Equal([1, 2], registry.Select(o => (int)o["properties"]!["priority"]!).Order());
        Assert.Single(origins, o => ((string)o["name"]!).Contains("/app/", StringComparison.Ordinal)); // writes stay in the primary

        Assert.Single(infra.Defaults.OfType("Microsoft.Web/sites")); // one region unless asked
        var secondary = Assert.Single(infra.Full.Sites, s => (string?)s["location"] == InfraFixture.SecondaryLocation);
        var settings = Deployment.AppSettings(secondary);
        foreach (var function in CodeNames.BackgroundFunctions())
        {
            Assert.Equal("true", settings.GetValueOrDefault($"AzureWebJobs.{function}.Disabled"));
        }

        // The data is read at the account's geo-secondary (read-access) endpoints.
        Assert.Contains("outputs.readTableEndpoint.value", settings["RtgfStorage__tableServiceUri"], StringComparison.Ordinal);
        Assert.DoesNotContain(Deployment.AppSettings(infra.Full.PrimarySite).Keys, k => k.EndsWith(".Disabled", StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> Patterns(JsonObject route) =>
        [.. route["properties"]!["patternsToMatch"]!.AsArray().Select(p => (string)p!)];

    // Front Door patterns: an exact path, or a prefix ending in "/*".
    private static bool Matches(string pattern, string path) =>
        pattern.EndsWith("/*", StringComparison.Ordinal)
            ? path.StartsWith(pattern[..^1], StringComparison.Ordinal) || path == pattern[..^2]
            : path == pattern;

    private static (IReadOnlyList<string> Paths, JsonObject Cache) Override(JsonObject rule)
    {
        var properties = rule["properties"]!;
        var condition = Assert.Single(properties["conditions"]!.AsArray())!;
        var action = Assert.Single(properties["actions"]!.AsArray())!;
        Assert.Equal("RouteConfigurationOverride", (string)action["name"]!);
        return ([.. condition["parameters"]!["matchValues"]!.AsArray().Select(v => (string)v!)], action["parameters"]!["cacheConfiguration"]!.AsObject());
    }
}
