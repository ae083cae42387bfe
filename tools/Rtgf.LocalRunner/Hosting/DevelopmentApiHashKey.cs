using System.Security.Cryptography;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// The API keys' hash key of local runs (<c>ApiKeys:HashKey</c>: 32 random bytes, base64) in an owner-only file
/// (<see cref="OwnerOnlyFile"/>), so keys created with <c>POST /ops/api-keys</c> keep working across local runs. In Azure
/// the setting is a Key Vault reference (docs/spec/api-keys.md).
/// </summary>
internal static class DevelopmentApiHashKey
{
    public const string FileName = "dev-api-hash-key";

    /// <summary>The hash key at <paramref name="path"/>, created first if absent.</summary>
    public static string Ensure(string path)
    {
        OwnerOnlyFile.Ensure(path, "development API hash key", static () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return File.ReadAllText(path).Trim();
    }
}
