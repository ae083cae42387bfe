using System.Buffers.Text;
using System.Security.Cryptography;

namespace Rtgf.Core.Signing;

/// <summary>A P-256 public key: the one key type this system signs with (Key Vault has no Ed25519).</summary>
public sealed class EcPublicKey : IEquatable<EcPublicKey>
{
    private readonly byte[] _x;
    private readonly byte[] _y;

    public EcPublicKey(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        if (x.Length != 32 || y.Length != 32)
        {
            throw new ArgumentException("A P-256 public key has 32-byte x and y coordinates.");
        }

        _x = x.ToArray();
        _y = y.ToArray();
        Thumbprint = ComputeThumbprint(_x, _y);
    }

    public ReadOnlySpan<byte> X => _x;

    public ReadOnlySpan<byte> Y => _y;

    /// <summary>RFC 7638 JWK thumbprint (SHA-256, base64url): the <c>kid</c> of every JWS this key signs.</summary>
    public string Thumbprint { get; }

    public static EcPublicKey FromParameters(ECParameters parameters)
    {
        if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("Only P-256 keys are supported.", nameof(parameters));
        }

        return new EcPublicKey(parameters.Q.X, parameters.Q.Y);
    }

    public static EcPublicKey FromBase64Url(string x, string y) =>
        new(Base64Url.DecodeFromChars(x), Base64Url.DecodeFromChars(y));

    public ECParameters ToParameters() => new()
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = (byte[])_x.Clone(), Y = (byte[])_y.Clone() },
    };

    /// <summary>A verifier for this key. ECDsa objects are not thread-safe for concurrent use; cache one per thread if hot.</summary>
    public ECDsa CreateEcdsa() => ECDsa.Create(ToParameters());

    /// <summary>DER SubjectPublicKeyInfo: signed-note type 0x02 key IDs are SHA-256(SPKI)[:4].</summary>
    public byte[] ToSubjectPublicKeyInfo()
    {
        using var ecdsa = CreateEcdsa();
        return ecdsa.ExportSubjectPublicKeyInfo();
    }

    public string XBase64Url => Base64Url.EncodeToString(_x);

    public string YBase64Url => Base64Url.EncodeToString(_y);

    public bool Equals(EcPublicKey? other) => other is not null && _x.AsSpan().SequenceEqual(other._x) && _y.AsSpan().SequenceEqual(other._y);

    public override bool Equals(object? obj) => Equals(obj as EcPublicKey);

    public override int GetHashCode() => HashCode.Combine(Thumbprint);

    public override string ToString() => Thumbprint;

    private static string ComputeThumbprint(byte[] x, byte[] y)
    {
        // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
        var json = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url.EncodeToString(x)}\",\"y\":\"{Base64Url.EncodeToString(y)}\"}}";
        return Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json)));
    }
}
