namespace Rtgf.KeyVaultStandIn;

/// <summary>The Key Vault keys operations the stand-in serves; each is counted.</summary>
public enum KeyVaultOperation
{
    CreateKey,
    GetKey,
    GetKeyVersions,
    RotateKey,
    GetRotationPolicy,
    UpdateRotationPolicy,
    Sign,
    Verify,
}
