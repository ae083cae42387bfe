namespace Rtgf.Azure.KeyVault;

/// <summary>Key Vault's verdict on a signature.</summary>
public sealed record VerifyResult(string KeyId, bool IsValid, SignatureAlgorithm Algorithm);
