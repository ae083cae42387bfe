namespace Rtgf.Azure.KeyVault;

/// <summary>A key unwrapped by Key Vault and the key version that unwrapped it.</summary>
public sealed record UnwrapResult(string KeyId, byte[] Key, KeyWrapAlgorithm Algorithm);
