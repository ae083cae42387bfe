using Rtgf.Azure.KeyVault.Internal;

namespace Rtgf.Azure.Tests.KeyVault.Internal;

public sealed class KeyVaultChallengePolicyTests
{
    [Theory]
    [InlineData("Bearer authorization=\"https://login.microsoftonline.com/tenant-1\", resource=\"https://vault.azure.net\"", "https://vault.azure.net/.default", "tenant-1")]
    [InlineData("Bearer authorization_uri=\"https://login.microsoftonline.com/tenant-2/\", resource=\"https://vault.azure.net/\"", "https://vault.azure.net/.default", "tenant-2")]
    [InlineData("Bearer authorization=\"https://login.microsoftonline.com/tenant-3\", scope=\"https://managedhsm.azure.net/.default\"", "https://managedhsm.azure.net/.default", "tenant-3")]
    [InlineData("Bearer resource=\"https://vault.azure.net\"", "https://vault.azure.net/.default", null)]
    public void Parse_BearerChallenge_GivesScopeAndTenant(string header, string scope, string? tenant)
    {
        var challenge = KeyVaultChallengePolicy.Parse(header);

        Assert.NotNull(challenge);
        Assert.Equal(scope, challenge.Scope);
        Assert.Equal(tenant, challenge.TenantId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic realm=\"vault\"")]
    [InlineData("Bearer authorization=\"https://login.microsoftonline.com/t\"")]
    public void Parse_NotAUsableBearerChallenge_IsNull(string? header) =>
        Assert.Null(KeyVaultChallengePolicy.Parse(header));
}
