using Rtgf.Core.Signing;

namespace Rtgf.Azure.KeyVault;

/// <summary>The public part of a Key Vault key as a JWK (<c>kid</c>, <c>kty</c>, <c>crv</c>, <c>key_ops</c>, <c>x</c>, <c>y</c>; <c>n</c>, <c>e</c> for RSA).</summary>
public sealed class JsonWebKey
{
    internal JsonWebKey(string id, KeyType keyType, KeyCurveName? curveName, IReadOnlyList<KeyOperation> keyOps, byte[]? x, byte[]? y, byte[]? n = null, byte[]? e = null)
    {
        Id = id;
        KeyType = keyType;
        CurveName = curveName;
        KeyOps = keyOps;
        X = x;
        Y = y;
        N = n;
        E = e;
    }

    public string Id { get; }

    public KeyType KeyType { get; }

    public KeyCurveName? CurveName { get; }

    public IReadOnlyList<KeyOperation> KeyOps { get; }

    public byte[]? X { get; }

    public byte[]? Y { get; }

    /// <summary>The RSA modulus (RSA and RSA-HSM keys).</summary>
    public byte[]? N { get; }

    /// <summary>The RSA public exponent (RSA and RSA-HSM keys).</summary>
    public byte[]? E { get; }

    /// <summary>The P-256 public key; throws for another key type or curve.</summary>
    public EcPublicKey ToEcPublicKey()
    {
        if (KeyType != KeyType.Ec && KeyType != KeyType.EcHsm)
        {
            throw new InvalidOperationException($"Key '{Id}' is a {KeyType} key, not an EC key.");
        }

        if (CurveName != KeyCurveName.P256 || X is null || Y is null)
        {
            throw new InvalidOperationException($"Key '{Id}' is not a P-256 key with x and y coordinates (crv '{CurveName}').");
        }

        return new EcPublicKey(X, Y);
    }
}
