using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Core.Encryption;

namespace Rtgf.Functions.Composition;

/// <summary>
/// The archive key (docs/spec/archives.md) that seals session archives and backups. Minimal here (part E, issue 20): the
/// development key from <c>Archive:DevelopmentKeyPath</c>; part A adds the Key Vault wrapper on <c>Archive:KeyVaultKeyId</c>
/// in this same file, and the integrator merges the two. Resolved on first use, so an app without the key still starts
/// and only the functions that seal or open an archive fail, with one line naming the settings.
/// </summary>
internal static class ArchiveServices
{
    public const string DevelopmentKeyPathSetting = "Archive:DevelopmentKeyPath";
    public const string KeyVaultKeyIdSetting = "Archive:KeyVaultKeyId";

    public static IHostApplicationBuilder AddArchiveKey(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<IDataKeyWrapper>(sp =>
        {
            var path = sp.GetRequiredService<IConfiguration>()[DevelopmentKeyPathSetting];
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new InvalidOperationException($"No archive key: set {KeyVaultKeyIdSetting} (Azure) or {DevelopmentKeyPathSetting} (local development).");
            }

            return new LocalDevelopmentKeyWrapper(File.ReadAllBytes(path));
        });
        return builder;
    }
}
