namespace Rtgf.KeyVaultStandIn;

/// <summary>One version of a secret: immutable once set (a new value is a new version).</summary>
internal sealed record StoredSecretVersion(string Version, string Value, string? ContentType, long Created, IReadOnlyDictionary<string, string> Tags);
