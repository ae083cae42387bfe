using ModelContextProtocol;
using Rtgf.Functions.Mcp;
using Rtgf.Functions.Tests.Support;
using Rtgf.Register;

namespace Rtgf.Functions.Tests.Mcp;

/// <summary>
/// The catalogue tools before the first publication, on the app's own register generations (the app over Azurite with
/// nothing published). Called on the tool type directly: this fixture has no key store secret, so no key can reach
/// <c>/mcp</c>; the SDK turns the <see cref="McpException"/> into the tool error text (McpCatalogueTests).
/// </summary>
public sealed class McpUnpublishedTests(UnpublishedAppFixture app) : IClassFixture<UnpublishedAppFixture>
{
    private const string NotReady = "The register is not ready: nothing has been published yet. Retry in 10 seconds.";

    [Fact]
    public async Task EveryCatalogueTool_SaysTheRegisterIsNotReady()
    {
        var tools = new CatalogueTools(app.Services.GetRequiredService<RegisterGenerations>());

        Func<Task>[] calls =
        [
            () => tools.SearchComponentsAsync("business"),
            () => tools.GetComponentAsync("BSB50120"),
            () => tools.GetRtoAsync("0022"),
            () => tools.RtoScopeAsync("0022", current: true),
            () => tools.ComponentProvidersAsync("BSB50120", state: "NSW"),
        ];

        foreach (var call in calls)
        {
            Assert.Equal(NotReady, (await Assert.ThrowsAsync<McpException>(call)).Message);
        }
    }
}
