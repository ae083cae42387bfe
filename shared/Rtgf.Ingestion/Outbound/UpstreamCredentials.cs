namespace Rtgf.Ingestion.Outbound;

/// <summary>
/// A user name and secret for an upstream, bound from configuration (a Key Vault reference in Azure).
/// <see cref="ToString"/> never shows the secret, so an accidental log line cannot leak it.
/// </summary>
public sealed class UpstreamCredentials
{
    public string UserName { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    public override string ToString() => $"{UserName} (password redacted)";
}
