using Rtgf.Pipeline.Configuration;

namespace Rtgf.Functions.Composition;

/// <summary>
/// Guards settings only local development may use (the development signing key). The environment is the Functions
/// host's <c>AZURE_FUNCTIONS_ENVIRONMENT</c> (Core Tools and the local runner set Development; Azure defaults to
/// Production), else the ASP.NET Core environment. Azure is detected by <see cref="AzureHosting"/>
/// (<c>WEBSITE_INSTANCE_ID</c>, which no app setting can remove), so no environment name can enable these there.
/// </summary>
internal static class DevelopmentOnly
{
    public static void Ensure(IConfiguration configuration, IHostEnvironment host, string setting)
    {
        if (AzureHosting.IsAzure(key => configuration[key]))
        {
            throw new InvalidOperationException($"{setting} is for local development only and is refused on Azure (WEBSITE_INSTANCE_ID is set); use Signing:KeyVaultKeyId.");
        }

        var environment = configuration["AZURE_FUNCTIONS_ENVIRONMENT"] is { Length: > 0 } functions ? functions : host.EnvironmentName;
        if (!string.Equals(environment, Environments.Development, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{setting} is for local development only; the environment is '{environment}' (AZURE_FUNCTIONS_ENVIRONMENT=Development enables it locally; in Azure use Signing:KeyVaultKeyId).");
        }
    }
}
