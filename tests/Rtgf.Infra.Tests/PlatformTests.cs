using System.Reflection;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;

namespace Rtgf.Infra.Tests;

/// <summary>The app on Flex Consumption, its hardening, Key Vault keys, and storage data protection.</summary>
[Collection(InfraCollection.Name)]
public sealed class PlatformTests(InfraFixture infra)
{
    [Fact]
    public void TheApp_RunsOnFlexConsumption_AtTheRuntimeTheWorkerTargets()
    {
        var target = CodeNames.App.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
        var version = target[(target.IndexOf("Version=v", StringComparison.Ordinal) + "Version=v".Length)..];

        Assert.All(infra.Full.OfType("Microsoft.Web/serverfarms"), plan =>
        {
            Assert.Equal("FC1", (string)plan["sku"]!["name"]!);
            Assert.Equal("FlexConsumption", (string)plan["sku"]!["tier"]!);
        });
        Assert.All(infra.Full.Sites, site =>
        {
            var config = site["properties"]!["functionAppConfig"]!;
            Assert.Equal("dotnet-isolated", (string)config["runtime"]!["name"]!);
            Assert.Equal(version, (string)config["runtime"]!["version"]!);
            var storage = config["deployment"]!["storage"]!;
            Assert.Equal("blobContainer", (string)storage["type"]!);
            Assert.Equal("UserAssignedIdentity", (string)storage["authentication"]!["type"]!);
            Assert.Equal("functionapp,linux", (string)site["kind"]!);
        });
    }

    [Fact]
    public void OnlyThePrimarySite_IsAzdsApiService_AndAHookDeploysTheSecondRegion()
    {
        // azd refuses two resources tagged for one service: the primary carries the tag, the postdeploy hook the rest.
        Assert.True(infra.Full.Sites.Count >= 2);
        var tagged = Assert.Single(infra.Full.Sites, site => site["tags"]?["azd-service-name"] is not null);
        Assert.Equal("api", (string)tagged["tags"]!["azd-service-name"]!);
        Assert.Equal(InfraFixture.Location, (string?)tagged["location"]);

        var root = BicepCli.RepoRoot;
        var azureYaml = File.ReadAllText(Path.Combine(root, "azure.yaml"));
        Assert.Contains("postdeploy:", azureYaml, StringComparison.Ordinal);
        Assert.Contains("run: infra/scripts/deploy-secondary.sh", azureYaml, StringComparison.Ordinal);
        var script = File.ReadAllText(Path.Combine(root, "infra", "scripts", "deploy-secondary.sh"));
        Assert.Contains("AZURE_FUNCTION_SECONDARY_NAME", script, StringComparison.Ordinal);
        Assert.Contains("az functionapp deployment source config-zip", script, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpFunctions_HaveAlwaysReadyInstances_AndScaleLimitsAreParameters()
    {
        var scale = infra.Defaults.PrimarySite["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;
        var ready = Assert.Single(scale["alwaysReady"]!.AsArray());
        Assert.Equal("http", (string)ready!["name"]!);
        Assert.True((int)ready["instanceCount"]! >= 1);
        Assert.Equal(2048, (int)scale["instanceMemoryMB"]!);
        Assert.Equal(100, (int)scale["maximumInstanceCount"]!);

        var parameters = infra.Arm["parameters"]!.AsObject();
        Assert.Contains("instanceMemoryMB", parameters.Select(p => p.Key));
        Assert.Contains("maximumInstanceCount", parameters.Select(p => p.Key));
        Assert.Contains("alwaysReadyHttpInstances", parameters.Select(p => p.Key));
    }

    [Fact]
    public void Sites_AreHttpsOnly_Tls12_WithFtpAndBasicPublishingCredentialsOff()
    {
        Assert.All(infra.Full.Sites, site =>
        {
            var p = site["properties"]!;
            Assert.True((bool)p["httpsOnly"]!);
            Assert.Equal("1.2", (string)p["siteConfig"]!["minTlsVersion"]!);
            Assert.Equal("1.2", (string)p["siteConfig"]!["scmMinTlsVersion"]!);
            Assert.Equal("Disabled", (string)p["siteConfig"]!["ftpsState"]!);
        });

        var policies = infra.Full.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.Equal(infra.Full.Sites.Count * 2, policies.Count);
        Assert.All(policies, policy => Assert.False((bool)policy["properties"]!["allow"]!));
        Assert.Equal(["ftp", "scm"], policies.Select(p => ((string)p["name"]!).Split('/')[^1]).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Sites_AcceptOnlyTheirFrontDoor()
    {
        Assert.All(infra.Full.Sites, site =>
        {
            var config = site["properties"]!["siteConfig"]!;
            Assert.Equal("Deny", (string)config["ipSecurityRestrictionsDefaultAction"]!);
            var rule = Assert.Single(config["ipSecurityRestrictions"]!.AsArray());
            Assert.Equal("AzureFrontDoor.Backend", (string)rule!["ipAddress"]!);
            Assert.Contains("frontDoorId", rule["headers"]!["x-azure-fdid"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void KeyVault_IsRbacOnly_PurgeProtected_Premium()
    {
        var vaults = infra.Full.OfType("Microsoft.KeyVault/vaults");
        Assert.Equal(2, vaults.Count);
        Assert.All(vaults, vault =>
        {
            var p = vault["properties"]!;
            Assert.True((bool)p["enableRbacAuthorization"]!);
            Assert.True((bool)p["enablePurgeProtection"]!);
            Assert.True((bool)p["enableSoftDelete"]!);
            Assert.False((bool)p["enabledForTemplateDeployment"]!);
        });
        var keys = Assert.Single(vaults, v => !((string)v["name"]!).StartsWith("kv-st-", StringComparison.Ordinal));
        Assert.Equal("premium", (string)keys["properties"]!["sku"]!["name"]!); // HSM-backed keys
    }

    [Fact]
    public void IssuerKey_IsAnHsmP256SigningKey_RotatedEvery90Days_NotifiedBeforeExpiry()
    {
        var key = infra.Full.Named("Microsoft.KeyVault/vaults/keys", "/rtgf-issuer")["properties"]!;

        Assert.Equal("EC-HSM", (string)key["kty"]!);
        Assert.Equal("P-256", (string)key["curveName"]!);
        Assert.Equal(["sign", "verify"], key["keyOps"]!.AsArray().Select(o => (string)o!).Order(StringComparer.Ordinal));
        Assert.False((bool)key["attributes"]!["exportable"]!);

        var policy = key["rotationPolicy"]!;
        Assert.Equal("P2Y", (string)policy["attributes"]!["expiryTime"]!);
        var actions = policy["lifetimeActions"]!.AsArray().Select(a => (Type: ((string)a!["action"]!["type"]!).ToUpperInvariant(), Trigger: a["trigger"]!.AsObject())).ToList();
        Assert.Equal(2, actions.Count);
        Assert.Equal("P90D", (string)Assert.Single(actions, a => a.Type == "ROTATE").Trigger["timeAfterCreate"]!);
        Assert.Equal("P30D", (string)Assert.Single(actions, a => a.Type == "NOTIFY").Trigger["timeBeforeExpiry"]!);
    }

    [Fact]
    public void ArchiveKey_IsAnHsmRsa3072WrappingKey()
    {
        var key = infra.Full.Named("Microsoft.KeyVault/vaults/keys", "/rtgf-archive")["properties"]!;

        Assert.Equal("RSA-HSM", (string)key["kty"]!);
        Assert.Equal(3072, (int)key["keySize"]!);
        Assert.Equal(["unwrapKey", "wrapKey"], key["keyOps"]!.AsArray().Select(o => (string)o!).Order(StringComparer.Ordinal));
        Assert.False((bool)key["attributes"]!["exportable"]!);
    }

    [Fact]
    public void Blobs_AreVersioned_SoftDeleted_AndRestorableToAPointInTime()
    {
        var service = Blobs(infra.Defaults)["properties"]!;

        Assert.True((bool)service["isVersioningEnabled"]!);
        Assert.True((bool)service["changeFeed"]!["enabled"]!);
        Assert.True((bool)service["deleteRetentionPolicy"]!["enabled"]!);
        Assert.True((bool)service["containerDeleteRetentionPolicy"]!["enabled"]!);
        Assert.True((bool)service["restorePolicy"]!["enabled"]!);
        // Point-in-time restore must end before soft-deleted data is gone.
        Assert.True((int)service["restorePolicy"]!["days"]! < (int)service["deleteRetentionPolicy"]!["days"]!);
        Assert.True((int)service["deleteRetentionPolicy"]!["days"]! >= 30);
    }

    [Theory]
    [InlineData(null, 12)]
    [InlineData(25, 25)]
    [InlineData(1200, 1200)]
    public void Lifecycle_DeletesSessionArchivesNeverBeforeTheRetention_AndTheAppReadsTheSameMonths(int? parameter, int months)
    {
        // 12 months can span 366 days (29 February), and archive-purge keeps a day of clock-skew margin: the rule must
        // wait at least the longest months (31 days each) plus two days, and the app's setting must be the same months.
        var deployment = parameter is null ? infra.Defaults : infra.With("retention" + parameter, $"param archiveRetentionMonths = {parameter}\n");
        var rule = Rule(deployment, "session-archives-retention");
        var actions = rule["actions"]!;

        Assert.Equal(["rtgf-archives/sessions/"], rule["filters"]!["prefixMatch"]!.AsArray().Select(p => (string)p!));
        Assert.True((int)actions["baseBlob"]!["delete"]!["daysAfterCreationGreaterThan"]! >= (31 * months) + 2);
        Assert.True((int)actions["version"]!["delete"]!["daysAfterCreationGreaterThan"]! >= (31 * months) + 2);
        Assert.Equal(months.ToString(System.Globalization.CultureInfo.InvariantCulture), Deployment.AppSettings(deployment.PrimarySite)["Archive__RetentionMonths"]);
    }

    [Fact]
    public void ArchiveRetentionMonths_IsOneParameter_WithTheRangeTheAppAccepts()
    {
        var parameter = infra.Arm["parameters"]!["archiveRetentionMonths"]!;

        Assert.Equal(12, (int)parameter["defaultValue"]!);
        Assert.Equal(Rtgf.Pipeline.Sessions.ArchiveSettings.MinimumRetentionMonths, (int)parameter["minValue"]!);
        Assert.Equal(1200, (int)parameter["maxValue"]!);
    }

    [Fact]
    public void Lifecycle_MovesSnapshotsBuildsAndBackupsToCoolThenCold_NeverToArchive_AndNeverDeletesThem()
    {
        // A backup copies snapshots and builds, a restore reads packs from the first backup day: an archived blob answers
        // 409 BlobArchived until hours of rehydration, so none of them may reach the Archive tier (docs/spec/backups.md).
        var rules = Rules(infra.Defaults);
        var longTerm = rules.Where(r => r["definition"]!["filters"]!["prefixMatch"]!.AsArray()
            .Any(p => ((string)p!).StartsWith("rtgf-snapshots/", StringComparison.Ordinal) || ((string)p!).StartsWith("rtgf-builds/", StringComparison.Ordinal) || ((string)p!).StartsWith("rtgf-backups/", StringComparison.Ordinal))).ToList();

        Assert.Equal(["rtgf-backups/", "rtgf-builds/", "rtgf-snapshots/"], longTerm.SelectMany(r => r["definition"]!["filters"]!["prefixMatch"]!.AsArray().Select(p => (string)p!)).Order(StringComparer.Ordinal));
        Assert.All(longTerm, rule =>
        {
            var actions = rule["definition"]!["actions"]!.AsObject();
            var baseBlob = actions["baseBlob"]!.AsObject();
            Assert.Contains("tierToCool", baseBlob.Select(a => a.Key));
            Assert.Contains("tierToCold", baseBlob.Select(a => a.Key));
            Assert.DoesNotContain("delete", actions.ToJsonString(), StringComparison.Ordinal); // kept ≥ 10 years: forever
        });

        // Every account of every region, the default RA-GRS one included.
        Assert.All(infra.Full.OfType("Microsoft.Storage/storageAccounts/managementPolicies"), policy =>
            Assert.DoesNotContain("tierToArchive", policy.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public void TheLogContainer_HasVersionLevelWorm_NoOtherContainerDoes()
    {
        var containers = infra.Defaults.OfType("Microsoft.Storage/storageAccounts/blobServices/containers");
        var worm = containers.Where(c => c["properties"]!["immutableStorageWithVersioning"]?["enabled"]?.GetValue<bool>() == true).ToList();
        Assert.Equal("rtgf-log", ((string)Assert.Single(worm)["name"]!).Split('/')[^1]);

        var policy = Assert.Single(infra.Defaults.OfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));
        Assert.EndsWith("/rtgf-log/default", (string)policy["name"]!, StringComparison.Ordinal);
        Assert.True((int)policy["properties"]!["immutabilityPeriodSinceCreationInDays"]! >= 3650);
    }

    private static JsonObject Blobs(Deployment deployment) =>
        Assert.Single(deployment.OfType("Microsoft.Storage/storageAccounts/blobServices"));

    private static IReadOnlyList<JsonObject> Rules(Deployment deployment) =>
        [.. Assert.Single(deployment.OfType("Microsoft.Storage/storageAccounts/managementPolicies"))["properties"]!["policy"]!["rules"]!.AsArray().Select(r => r!.AsObject())];

    private static JsonObject Rule(Deployment deployment, string name) =>
        Assert.Single(Rules(deployment), r => (string)r["name"]! == name)["definition"]!.AsObject();
}
