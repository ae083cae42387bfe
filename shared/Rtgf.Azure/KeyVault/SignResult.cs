namespace Rtgf.Azure.KeyVault;

/// <summary>A signature from Key Vault: for ES256 the raw 64-byte r || s, and the exact key version that made it.</summary>
public sealed record SignResult(string KeyId, byte[] Signature, SignatureAlgorithm Algorithm);
