namespace Rtgf.Azure.KeyVault;

/// <summary>A key wrapped by Key Vault, and the exact key version that wrapped it (needed to unwrap it later).</summary>
public sealed record WrapResult(string KeyId, byte[] EncryptedKey, KeyWrapAlgorithm Algorithm);
