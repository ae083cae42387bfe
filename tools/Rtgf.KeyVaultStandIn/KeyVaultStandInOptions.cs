namespace Rtgf.KeyVaultStandIn;

/// <summary>How a <see cref="KeyVaultStandInServer"/> behaves.</summary>
public sealed record KeyVaultStandInOptions
{
    /// <summary>Timestamps keys and drives the throttling token bucket. Defaults to the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = StandInClock.Instance;

    /// <summary>When set, only this bearer token is accepted; otherwise any non-empty bearer token is.</summary>
    public string? ExpectedToken { get; init; }

    /// <summary>The most key versions one list page holds (Key Vault: 25); smaller values force <c>nextLink</c> paging.</summary>
    public int MaxPageSize { get; init; } = 25;

    /// <summary>The tenant named in the 401 challenge's authorization URI.</summary>
    public string TenantId { get; init; } = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    /// <summary>The resource named in the 401 challenge.</summary>
    public string Resource { get; init; } = "https://vault.azure.net";

    /// <summary>The api-versions accepted (Azure.Security.KeyVault.Keys 4.x and Secrets 4.12.0 send 2025-07-01 and 2026-04-01); anything else (or none) is 400 BadParameter.</summary>
    public IReadOnlySet<string> ApiVersions { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "7.5", "2025-07-01", "2026-04-01" };
}
