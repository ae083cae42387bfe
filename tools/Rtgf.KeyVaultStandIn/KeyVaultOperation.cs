namespace Rtgf.KeyVaultStandIn;

/// <summary>The Key Vault keys and secrets operations the stand-in serves; each is counted.</summary>
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
    SetSecret,
    GetSecret,
    WrapKey,
    UnwrapKey,
}
