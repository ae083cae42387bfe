using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rtgf.Core.Signing;
using Rtgf.Transparency.Merkle;

namespace Rtgf.Transparency.Checkpoints;

/// <summary>
/// A signed-note verifier key, <c>&lt;name&gt;+&lt;hex8 key ID&gt;+&lt;base64(type || key)&gt;</c>. Type 0x02 (ECDSA, key = DER SPKI,
/// key ID = SHA-256(SPKI)[:4]) is what this log signs with; 0x01 (Ed25519) parses, but .NET has no Ed25519, so it cannot verify.
/// </summary>
public sealed class NoteVerifierKey
{
    public const byte Ed25519Type = 0x01;
    public const byte EcdsaType = 0x02;

    private readonly byte[] _keyMaterial;

    private NoteVerifierKey(string name, uint keyId, byte type, byte[] keyMaterial)
    {
        Name = name;
        KeyId = keyId;
        SignatureType = type;
        _keyMaterial = keyMaterial;
    }

    public string Name { get; }

    public uint KeyId { get; }

    public byte SignatureType { get; }

    /// <summary>The key bytes after the type byte (a DER SPKI for type 0x02).</summary>
    public ReadOnlySpan<byte> KeyMaterial => _keyMaterial;

    /// <summary>The type 0x02 key for a P-256 public key under <paramref name="name"/> (the log's origin).</summary>
    public static NoteVerifierKey ForEcdsa(string name, EcPublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!SignedNote.IsValidKeyName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid note key name (non-empty, no spaces, no '+').", nameof(name));
        }

        var spki = publicKey.ToSubjectPublicKeyInfo();
        return new NoteVerifierKey(name, EcdsaKeyId(spki), EcdsaType, spki);
    }

    /// <summary>Type 0x02 key ID: the first 4 bytes of SHA-256(DER SPKI), big-endian (no name, no type byte).</summary>
    public static uint EcdsaKeyId(ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(subjectPublicKeyInfo));

    public static NoteVerifierKey Parse(string vkey)
    {
        ArgumentNullException.ThrowIfNull(vkey);
        var parts = vkey.Split('+', 3); // base64 may itself contain '+'
        if (parts.Length != 3)
        {
            throw new FormatException("A verifier key is <name>+<hex key ID>+<base64 key>.");
        }

        var (name, hex, encoded) = (parts[0], parts[1], parts[2]);
        if (!SignedNote.IsValidKeyName(name))
        {
            throw new FormatException($"The verifier key name '{name}' is invalid.");
        }

        if (hex.Length != 8 || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var keyId))
        {
            throw new FormatException($"The verifier key ID '{hex}' is not 8 hex digits.");
        }

        byte[] key;
        try
        {
            key = encoded.Any(char.IsWhiteSpace) ? throw new FormatException() : Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new FormatException("The verifier key's key part is not valid base64.");
        }

        if (key.Length < 2)
        {
            throw new FormatException("The verifier key has no key bytes after its type.");
        }

        var material = key[1..];
        switch (key[0])
        {
            case EcdsaType:
                using (var ecdsa = ECDsa.Create())
                {
                    try
                    {
                        ecdsa.ImportSubjectPublicKeyInfo(material, out var read);
                        if (read != material.Length)
                        {
                            throw new FormatException("The ECDSA verifier key has bytes after its SubjectPublicKeyInfo.");
                        }
                    }
                    catch (CryptographicException ex)
                    {
                        throw new FormatException("The ECDSA verifier key is not a valid SubjectPublicKeyInfo: " + ex.Message);
                    }
                }

                if (EcdsaKeyId(material) != keyId)
                {
                    throw new FormatException($"The verifier key ID {hex} is not SHA-256(SPKI)[:4] of its ECDSA key.");
                }

                break;
            case Ed25519Type:
                if (material.Length != 32)
                {
                    throw new FormatException("An Ed25519 verifier key has 32 key bytes.");
                }

                if (Ed25519KeyId(name, material) != keyId)
                {
                    throw new FormatException($"The verifier key ID {hex} does not match its Ed25519 key.");
                }

                break;
        }

        return new NoteVerifierKey(name, keyId, key[0], material);
    }

    /// <summary>Checks one signature over the note text with this key.</summary>
    public ProofCheck Verify(string text, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (SignatureType != EcdsaType)
        {
            return ProofCheck.Invalid($"unsupported signature type 0x{SignatureType:x2} for key '{Name}' (only ECDSA, type 0x02, is verified here)");
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(_keyMaterial, out _);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence)
            ? ProofCheck.Valid
            : ProofCheck.Invalid($"the signature by '{Name}' ({KeyId:x8}) does not verify");
    }

    public override string ToString()
    {
        var key = new byte[1 + _keyMaterial.Length];
        key[0] = SignatureType;
        _keyMaterial.CopyTo(key, 1);
        return Name + "+" + KeyId.ToString("x8", CultureInfo.InvariantCulture) + "+" + Convert.ToBase64String(key);
    }

    // SHA-256(name || "\n" || 0x01 || key)[:4], the key ID every type other than 0x02 uses.
    private static uint Ed25519KeyId(string name, ReadOnlySpan<byte> key)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var buffer = new byte[nameBytes.Length + 2 + key.Length];
        nameBytes.CopyTo(buffer, 0);
        buffer[nameBytes.Length] = (byte)'\n';
        buffer[nameBytes.Length + 1] = Ed25519Type;
        key.CopyTo(buffer.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(buffer));
    }
}
