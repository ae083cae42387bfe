using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Rtgf.Functions.Composition;

namespace Rtgf.Functions.Tests.Composition;

public sealed class ConfiguredIssuerSignerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rtgf-signer-").FullName;

    [Theory]
    [InlineData("Production", null)]
    [InlineData("Staging", null)]
    [InlineData("Development", "Production")]
    public async Task DevelopmentKey_OutsideDevelopment_IsRefused(string hostEnvironment, string? functionsEnvironment)
    {
        await using var signer = Signer(hostEnvironment, ("AZURE_FUNCTIONS_ENVIRONMENT", functionsEnvironment));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await signer.GetAsync());

        Assert.Contains("Signing:DevelopmentKeyPath is for local development only", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{functionsEnvironment ?? hostEnvironment}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentKey_OnAzure_IsRefusedEvenInDevelopment()
    {
        await using var signer = Signer(Environments.Development, ("AZURE_FUNCTIONS_ENVIRONMENT", "Development"), ("WEBSITE_INSTANCE_ID", "0123abcd"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await signer.GetAsync());

        Assert.Contains("refused on Azure", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development", null)]
    [InlineData("Production", "Development")]
    public async Task DevelopmentKey_InDevelopment_Signs(string hostEnvironment, string? functionsEnvironment)
    {
        await using var signer = Signer(hostEnvironment, ("AZURE_FUNCTIONS_ENVIRONMENT", functionsEnvironment));

        var issuer = await signer.GetAsync();

        Assert.NotNull(issuer);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ConfiguredIssuerSigner Signer(string hostEnvironment, params (string Name, string? Value)[] settings)
    {
        var path = Path.Combine(_directory, "key.pem");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        var values = settings.Where(s => s.Value is not null).ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);
        values["Signing:DevelopmentKeyPath"] = path;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ConfiguredIssuerSigner(configuration, new HostingEnvironment { EnvironmentName = hostEnvironment });
    }
}
