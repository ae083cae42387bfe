namespace Rtgf.Pipeline.Configuration;

/// <summary>
/// Whether the app runs in Azure: App Service and every Functions plan set <c>WEBSITE_INSTANCE_ID</c> for each
/// instance; neither Core Tools nor the local runner does. Development-only exceptions are refused when it is set.
/// </summary>
public static class AzureHosting
{
    public const string MarkerSetting = "WEBSITE_INSTANCE_ID";

    /// <summary>Reads the marker through <paramref name="setting"/> (configuration includes the environment).</summary>
    public static bool IsAzure(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return !string.IsNullOrWhiteSpace(setting(MarkerSetting));
    }
}
