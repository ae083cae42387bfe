using System.Security.Cryptography;
using System.Text;

namespace Rtgf.Pipeline.Sessions;

/// <summary>
/// The one place that draws session secrets (allow-listed for the banned-API analyzer, .editorconfig): 32 random bytes,
/// base64url. Only the client keeps the secret; the store keeps <see cref="Id"/>, its SHA-256.
/// </summary>
public static class SessionSecret
{
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The session id for <paramref name="secret"/>: lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    public static string Id(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }
}
