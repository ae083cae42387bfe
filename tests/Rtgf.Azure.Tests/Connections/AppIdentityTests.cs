using Azure.Identity;
using Rtgf.Azure.Connections;

namespace Rtgf.Azure.Tests.Connections;

public sealed class AppIdentityTests
{
    [Fact]
    public void ClientIdSetting_NamesTheUserAssignedIdentity()
    {
        var identity = AppIdentity.FromSettings(name => name == "AZURE_CLIENT_ID" ? " 11111111-2222-3333-4444-555555555555 " : null);

        Assert.True(identity.IsUserAssigned);
        Assert.Equal("11111111-2222-3333-4444-555555555555", identity.ClientId);
        Assert.IsType<ManagedIdentityCredential>(identity.Credential());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void NoClientId_IsTheSystemAssignedIdentity(string? value)
    {
        var identity = AppIdentity.FromSettings(_ => value);

        Assert.False(identity.IsUserAssigned);
        Assert.Null(identity.ClientId);
        Assert.IsType<ManagedIdentityCredential>(identity.Credential());
    }

    [Fact]
    public void TheSettingName_IsTheOneInfraSets()
    {
        // infra/main.bicep sets AZURE_CLIENT_ID to the user-assigned identity's client id (InfraTemplateTests check it there).
        Assert.Equal("AZURE_CLIENT_ID", AppIdentity.ClientIdSetting);
    }
}
