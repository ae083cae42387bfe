namespace Rtgf.Azure.KeyVault.Internal;

/// <summary>A parsed key identifier: <c>https://{vault}/keys/{name}[/{version}]</c>.</summary>
internal sealed record KeyVaultKeyId(Uri VaultUri, string Name, string? Version)
{
    public static KeyVaultKeyId Parse(Uri keyId, string parameterName = "keyId")
    {
        ArgumentNullException.ThrowIfNull(keyId, parameterName);
        if (!keyId.IsAbsoluteUri)
        {
            throw new ArgumentException($"Key id '{keyId}' is not an absolute URI.", parameterName);
        }

        var segments = keyId.AbsolutePath.Trim('/').Split('/');
        if (segments.Length is not (2 or 3) || segments[0] != "keys")
        {
            throw new ArgumentException($"Key id '{keyId}' is not of the form https://{{vault}}/keys/{{name}}/{{version}}.", parameterName);
        }

        KeyVaultNames.ValidateKeyName(segments[1], parameterName);
        var version = segments.Length == 3 && segments[2].Length > 0 ? segments[2] : null;
        if (version is not null)
        {
            KeyVaultNames.ValidateVersion(version, parameterName);
        }

        return new KeyVaultKeyId(new Uri(keyId.GetLeftPart(UriPartial.Authority) + "/"), segments[1], version);
    }
}
