using System.Diagnostics.CodeAnalysis;

namespace Rtgf.Azure.KeyVault;

/// <summary>The Key Vault REST api-version sent as <c>?api-version=</c> on every call; one is pinned per client.</summary>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "The Azure SDK names its service versions this way; kept for a drop-in swap.")]
public enum KeyVaultServiceVersion
{
    /// <summary><c>7.5</c>.</summary>
    V7_5,

    /// <summary><c>2025-07-01</c> (same behaviour for the operations used here).</summary>
    V2025_07_01,
}
