using System.Text.Json.Nodes;

namespace Rtgf.Infra.Tests;

/// <summary>No shared keys anywhere: identity-only storage and settings, secrets only as Key Vault references, exact roles.</summary>
[Collection(InfraCollection.Name)]
public sealed class IdentityAndSecretsTests(InfraFixture infra)
{
    // Built-in role definition ids (Azure RBAC).
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string CryptoUser = "12338af0-0e69-4776-bea7-57ae8d297424";
    private const string SecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string SecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    private const string MetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    [Fact]
    public void StorageAccounts_RefuseSharedKeysAndPlainHttp()
    {
        var accounts = infra.Full.OfType("Microsoft.Storage/storageAccounts");

        Assert.Equal(2, accounts.Count); // data + the second region's host storage
        Assert.All(accounts, account =>
        {
            var p = account["properties"]!;
            Assert.False((bool)p["allowSharedKeyAccess"]!);
            Assert.True((bool)p["defaultToOAuthAuthentication"]!);
            Assert.False((bool)p["allowBlobPublicAccess"]!);
            Assert.True((bool)p["supportsHttpsTrafficOnly"]!);
            Assert.Equal("TLS1_2", (string)p["minimumTlsVersion"]!);
        });
    }

    [Fact]
    public void TheTemplate_NeverReadsAKeyOrBuildsAConnectionStringWithOne()
    {
        foreach (var forbidden in new[] { "listKeys", "listAccountSas", "listServiceSas", "listConnectionStrings", "AccountKey=", "SharedAccessKey", "SharedAccessSignature", "DefaultEndpointsProtocol" })
        {
            Assert.DoesNotContain(forbidden, infra.ArmText, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void AppSettings_HoldNoConnectionStringButApplicationInsights_AndNoFlexLegacySetting()
    {
        Assert.All(infra.Full.Sites, site =>
        {
            var settings = Deployment.AppSettings(site);
            var connectionStrings = settings.Keys.Where(k => k.Replace("_", string.Empty, StringComparison.Ordinal).Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) || k is "AzureWebJobsStorage" or "RtgfStorage");
            Assert.Equal(["APPLICATIONINSIGHTS_CONNECTION_STRING"], connectionStrings);

            // Flex Consumption refuses these (runtime and package live in functionAppConfig).
            foreach (var legacy in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE" })
            {
                Assert.DoesNotContain(legacy, settings.Keys);
            }
        });
    }

    [Theory]
    [InlineData("AzureWebJobsStorage")]
    [InlineData("RtgfStorage")]
    public void StorageConnections_AreTheUserAssignedIdentity(string connection)
    {
        Assert.All(infra.Full.Sites, site =>
        {
            var settings = Deployment.AppSettings(site);
            Assert.Equal("managedidentity", settings[connection + "__credential"]);
            Assert.Contains("outputs.clientId.value", settings[connection + "__clientId"], StringComparison.Ordinal);
            foreach (var service in new[] { "blob", "queue", "table" })
            {
                Assert.Contains("Endpoint.value", settings[$"{connection}__{service}ServiceUri"], StringComparison.Ordinal);
            }

            Assert.DoesNotContain(connection + "__accountName", settings.Keys); // one spelling: the service URIs
        });
    }

    [Fact]
    public void TheAppsOwnCalls_AndTelemetry_UseTheUserAssignedIdentity()
    {
        Assert.All(infra.Full.Sites, site =>
        {
            var settings = Deployment.AppSettings(site);
            Assert.Contains("outputs.clientId.value", settings["AZURE_CLIENT_ID"], StringComparison.Ordinal);
            Assert.StartsWith("[format('Authorization=AAD;ClientId={0}'", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
            Assert.Equal("UserAssigned", (string)site["identity"]!["type"]!);
            Assert.Single(site["identity"]!["userAssignedIdentities"]!.AsObject());
            Assert.Contains("outputs.id.value", (string)site["properties"]!["keyVaultReferenceIdentity"]!, StringComparison.Ordinal);
        });

        var insights = Assert.Single(infra.Full.OfType("Microsoft.Insights/components"));
        Assert.True((bool)insights["properties"]!["DisableLocalAuth"]!);
    }

    [Fact]
    public void Secrets_AreKeyVaultReferences_OnlyWhenTheOperatorWiredThem()
    {
        Assert.Equal(13, infra.SecretNames().Count);
        var defaults = Deployment.AppSettings(infra.Defaults.PrimarySite);
        Assert.DoesNotContain(defaults.Values, v => v.Contains("@Microsoft.KeyVault", StringComparison.Ordinal));
        Assert.DoesNotContain("Signing__KeyVaultKeyId", defaults.Keys); // until the operator pins a published version

        var full = Deployment.AppSettings(infra.Full.PrimarySite);
        foreach (var secret in infra.SecretNames())
        {
            var setting = secret.Replace("--", "__", StringComparison.Ordinal);
            // @Microsoft.KeyVault(SecretUri=<the vault's URI>secrets/<name>/): the vault module's uri output and the secret's name.
            Assert.Matches(@"^\[format\('@Microsoft\.KeyVault\(SecretUri=\{0\}secrets/\{1\}/\)', reference\(.*'vault-.*\)\.outputs\.uri\.value, '" + secret + @"'\)\]$", full[setting]);
        }

        Assert.Equal(InfraFixture.SigningKeyId, full["Signing__KeyVaultKeyId"]);
        Assert.Contains("outputs.archiveKeyUri.value", full["Archive__KeyVaultKeyId"], StringComparison.Ordinal);
        Assert.Contains("outputs.stateVaultUri.value", full["QuickBooks__KeyVaultUri"], StringComparison.Ordinal);
    }

    [Fact]
    public void RoleAssignments_AreExactlyTheListedOnes_AtTheirNarrowestScopes()
    {
        var actual = infra.Full.OfType("Microsoft.Authorization/roleAssignments")
            .Select(a => (Role: RoleOf(a), Scope: ScopeOf((string)a["id"]!)))
            .OrderBy(a => a.Role, StringComparer.Ordinal).ThenBy(a => a.Scope, StringComparer.Ordinal)
            .ToList();

        (string, string)[] expected =
        [
            (BlobDataOwner, "storageAccounts/data"),
            (BlobDataOwner, "storageAccounts/secondary-host"),
            (CryptoUser, "keys/rtgf-archive"),
            (CryptoUser, "keys/rtgf-issuer"),
            (MetricsPublisher, "components/appi"),
            (QueueDataContributor, "storageAccounts/data"),
            (QueueDataContributor, "storageAccounts/secondary-host"),
            (SecretsUser, "vaults/kv"),
            (SecretsOfficer, "vaults/kv-st"),
            (TableDataContributor, "storageAccounts/data"),
            (TableDataContributor, "storageAccounts/secondary-host"),
        ];
        Assert.Equal(expected.OrderBy(a => a.Item1, StringComparer.Ordinal).ThenBy(a => a.Item2, StringComparer.Ordinal), actual);

        Assert.All(infra.Full.OfType("Microsoft.Authorization/roleAssignments"), a =>
        {
            Assert.Equal("ServicePrincipal", (string)a["properties"]!["principalType"]!);
            Assert.Contains("'identity-", (string)a["properties"]!["principalId"]!, StringComparison.Ordinal); // the app's identity
        });
    }

    private static string RoleOf(JsonObject assignment) => ((string)assignment["properties"]!["roleDefinitionId"]!).Split('/')[^1];

    // ".../storageAccounts/st<token>/providers/Microsoft.Authorization/roleAssignments/<guid>" -> "storageAccounts/data".
    private string ScopeOf(string id)
    {
        var scope = id[..id.IndexOf("/providers/Microsoft.Authorization/", StringComparison.Ordinal)].Split('/');
        var (type, name) = (scope[^2], scope[^1]);
        var dataAccount = (string)Assert.Single(infra.Full.OfType("Microsoft.Storage/storageAccounts"), a => (string?)a["location"] == InfraFixture.Location)["name"]!;
        return type switch
        {
            "storageAccounts" => name == dataAccount ? "storageAccounts/data" : "storageAccounts/secondary-host",
            "keys" => "keys/" + name,
            "vaults" when name.StartsWith("kv-st-", StringComparison.Ordinal) => "vaults/kv-st",
            "vaults" when name.StartsWith("kv-", StringComparison.Ordinal) => "vaults/kv",
            "components" when name.StartsWith("appi-", StringComparison.Ordinal) => "components/appi",
            _ => type + "/" + name,
        };
    }
}
