using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>The TGA credentials travel only over https: http is a development exception, refused outside Development and in Azure.</summary>
public sealed class UpstreamSettingsTests
{
    private static readonly Dictionary<string, string> Tga = new(StringComparer.Ordinal)
    {
        ["Upstream:Tga:BaseUrl"] = "http://127.0.0.1:5000/Deewr.Tga.WebServices/",
        ["Upstream:Tga:UserName"] = "sim-user",
        ["Upstream:Tga:Password"] = "sim-password",
    };

    [Fact]
    public void Tga_HttpBaseUrl_IsRefusedWithOneLine_UnlessTheDevelopmentExceptionIsSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() => UpstreamSettings.Tga(Settings(Tga), "Development"));

        Assert.Equal(
            "The setting 'Upstream:Tga:BaseUrl' must be an https URL: the TGA credentials would cross the network in clear text over http (only the local simulator may use http, with Upstream:AllowInsecureHttp=true).",
            error.Message);
        var options = UpstreamSettings.Tga(Settings(Tga, ("Upstream:AllowInsecureHttp", "true"), ("AZURE_FUNCTIONS_ENVIRONMENT", "Development")), "Production");
        Assert.Equal(new Uri(Tga["Upstream:Tga:BaseUrl"]), options.Outbound.BaseAddress);
    }

    [Fact]
    public void Jsa_OneUpstreamNamedJsa_ForTheListAndTheVacancyIndex()
    {
        var options = UpstreamSettings.Jsa(Settings(new Dictionary<string, string>(StringComparer.Ordinal) { ["Upstream:Jsa:BaseUrl"] = "https://www.jobsandskills.gov.au" }));

        Assert.Equal(("jsa", new Uri("https://www.jobsandskills.gov.au/")), (options.Name, options.BaseAddress));
        Assert.Contains("'Upstream:Jsa:BaseUrl'", Assert.Throws<InvalidOperationException>(() => UpstreamSettings.Jsa(_ => null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tga_OrganisationPath_DefaultsToTheVersionedService_AndCanBeSet()
    {
        var https = new Dictionary<string, string>(Tga, StringComparer.Ordinal) { ["Upstream:Tga:BaseUrl"] = "https://ws.training.gov.au/Deewr.Tga.Webservices/" };

        Assert.Equal("OrganisationServiceV13.svc/Organisation", UpstreamSettings.Tga(Settings(https), "Production").OrganisationPath);
        Assert.Equal(
            "OrganisationServiceV12.svc/Organisation",
            UpstreamSettings.Tga(Settings(https, ("Upstream:Tga:OrganisationPath", "/OrganisationServiceV12.svc/Organisation")), "Production").OrganisationPath);
    }

    [Fact]
    public void Tga_DevelopmentException_IsRefusedInAzure()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            UpstreamSettings.Tga(Settings(Tga, ("Upstream:AllowInsecureHttp", "true"), ("WEBSITE_INSTANCE_ID", "0123abcd"), ("AZURE_FUNCTIONS_ENVIRONMENT", "Development")), "Development"));

        Assert.Equal(
            "Upstream:AllowInsecureHttp is for local development only and is refused on Azure (WEBSITE_INSTANCE_ID is set); upstream credentials travel only over https.",
            error.Message);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("Production", null)]
    [InlineData("Development", "Production")]
    [InlineData("Staging", "")]
    public void Tga_DevelopmentException_OutsideDevelopment_IsRefused(string? hostEnvironment, string? functionsEnvironment)
    {
        var settings = functionsEnvironment is null
            ? Settings(Tga, ("Upstream:AllowInsecureHttp", "true"))
            : Settings(Tga, ("Upstream:AllowInsecureHttp", "true"), ("AZURE_FUNCTIONS_ENVIRONMENT", functionsEnvironment));

        var error = Assert.Throws<InvalidOperationException>(() => UpstreamSettings.Tga(settings, hostEnvironment));

        Assert.StartsWith("Upstream:AllowInsecureHttp is for local development only; the environment is '", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Tga_UnresolvedKeyVaultReference_IsRefusedNamingTheSetting()
    {
        const string Reference = "@Microsoft.KeyVault(SecretUri=https://rtgf-kv.vault.azure.net/secrets/tga-password/)";

        var error = Assert.Throws<InvalidOperationException>(() => UpstreamSettings.Tga(Settings(
            Tga, ("Upstream:Tga:BaseUrl", "https://ws.training.gov.au/Deewr.Tga.WebServices/"), ("Upstream:Tga:Password", Reference), ("WEBSITE_INSTANCE_ID", "0123abcd")), "Production"));

        Assert.StartsWith("The setting 'Upstream:Tga:Password' is a Key Vault reference the platform did not resolve", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static Func<string, string?> Settings(IReadOnlyDictionary<string, string> values, params (string Key, string Value)[] overrides)
    {
        var all = new Dictionary<string, string>(values, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            all[key] = value;
        }

        return key => all.GetValueOrDefault(key);
    }
}
