namespace Rtgf.Transparency.Checkpoints;

/// <summary>
/// IEEE P1363 (r || s, as Key Vault and JWS produce) to ASN.1 DER <c>SEQUENCE { INTEGER r, INTEGER s }</c> (as signed-note type 0x02
/// carries). Hand-written because getting the INTEGER rules wrong is the classic KMS interop bug: minimal length, and a 0x00 byte in
/// front when the high bit is set so the value stays positive.
/// </summary>
public static class EcdsaSignatureEncoding
{
    public static byte[] P1363ToDer(ReadOnlySpan<byte> p1363)
    {
        if (p1363.Length == 0 || p1363.Length % 2 != 0)
        {
            throw new ArgumentException($"A P1363 ECDSA signature is r || s of equal lengths; got {p1363.Length} bytes.", nameof(p1363));
        }

        var half = p1363.Length / 2;
        var r = Integer(p1363[..half]);
        var s = Integer(p1363[half..]);
        var content = new byte[r.Length + s.Length];
        r.CopyTo(content, 0);
        s.CopyTo(content, r.Length);
        return Tlv(0x30, content);
    }

    private static byte[] Integer(ReadOnlySpan<byte> unsignedBigEndian)
    {
        var start = 0;
        while (start < unsignedBigEndian.Length - 1 && unsignedBigEndian[start] == 0)
        {
            start++;
        }

        var magnitude = unsignedBigEndian[start..];
        var pad = (magnitude[0] & 0x80) != 0 ? 1 : 0;
        var value = new byte[pad + magnitude.Length];
        magnitude.CopyTo(value.AsSpan(pad));
        return Tlv(0x02, value);
    }

    private static byte[] Tlv(byte tag, byte[] content)
    {
        // Short-form length below 128, else long form (needed only for curves larger than P-384).
        var lengthBytes = content.Length < 0x80 ? [(byte)content.Length]
            : content.Length <= 0xFF ? [0x81, (byte)content.Length]
            : new[] { (byte)0x82, (byte)(content.Length >> 8), (byte)content.Length };
        var tlv = new byte[1 + lengthBytes.Length + content.Length];
        tlv[0] = tag;
        lengthBytes.CopyTo(tlv, 1);
        content.CopyTo(tlv, 1 + lengthBytes.Length);
        return tlv;
    }
}
