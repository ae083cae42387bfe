namespace Rtgf.Pipeline.Configuration;

/// <summary>
/// The one policy for settings only local development may use (the development signing key, http to the upstream
/// simulator): allowed only in the Development environment — the Functions host's <c>AZURE_FUNCTIONS_ENVIRONMENT</c>
/// (Core Tools and the local runner set Development; Azure defaults to Production), else the host's environment name,
/// else none — and never in Azure (<see cref="AzureHosting"/>: <c>WEBSITE_INSTANCE_ID</c>, which no app setting can
/// remove), whatever the environment is called there.
/// </summary>
public static class DevelopmentOnly
{
    public const string EnvironmentSetting = "AZURE_FUNCTIONS_ENVIRONMENT";

    public const string Development = "Development";

    /// <summary>
    /// Throws unless <paramref name="settingName"/> may be used here; <paramref name="instead"/> ends the message with what
    /// to use in Azure (e.g. "use Signing:KeyVaultKeyId").
    /// </summary>
    public static void Ensure(Func<string, string?> setting, string? hostEnvironmentName, string settingName, string instead)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (AzureHosting.IsAzure(setting))
        {
            throw new InvalidOperationException(
                $"{settingName} is for local development only and is refused on Azure ({AzureHosting.MarkerSetting} is set); {instead}.");
        }

        var environment = setting(EnvironmentSetting) is { Length: > 0 } functions ? functions : hostEnvironmentName ?? string.Empty;
        if (!string.Equals(environment, Development, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{settingName} is for local development only; the environment is '{environment}' ({EnvironmentSetting}={Development} enables it locally; {instead}).");
        }
    }
}
