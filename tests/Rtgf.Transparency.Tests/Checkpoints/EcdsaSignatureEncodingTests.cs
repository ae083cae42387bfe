using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using Rtgf.Transparency.Checkpoints;

namespace Rtgf.Transparency.Tests.Checkpoints;

public sealed class EcdsaSignatureEncodingTests
{
    public static TheoryData<string, string> EdgeValues() => new()
    {
        { new string('0', 63) + "1", new string('0', 63) + "1" },                         // tiny values: one content byte each
        { "80" + new string('0', 62), "7f" + new string('f', 62) },                       // high bit set (pad) / clear (no pad)
        { new string('f', 64), "00ff" + new string('0', 60) },                            // leading zero byte dropped, then pad needed
        { new string('0', 64), "0000000000000001" + new string('0', 48) },                // zero encodes as 02 01 00
        { "00" + "7f" + new string('0', 60), "0000" + "80" + new string('0', 58) },      // several leading zeros
    };

    [Theory]
    [MemberData(nameof(EdgeValues))]
    public void P1363ToDer_EdgeValues_MatchAsnWriterIntegers(string rHex, string sHex)
    {
        var der = EcdsaSignatureEncoding.P1363ToDer(Convert.FromHexString(rHex + sHex));

        Assert.Equal(Expected(rHex, sHex), der);
    }

    [Fact]
    public void P1363ToDer_HighBitR_HasZeroPadAndMinimalS()
    {
        var der = EcdsaSignatureEncoding.P1363ToDer(Convert.FromHexString("80" + new string('0', 62) + new string('0', 63) + "5"));

        Assert.Equal(Convert.FromHexString("3026" + "022100" + "80" + new string('0', 62) + "020105"), der);
    }

    [Fact]
    public void P1363ToDer_RealSignatures_VerifyAsDer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        for (var i = 0; i < 50; i++)
        {
            var digest = SHA256.HashData(BitConverter.GetBytes(i));
            var p1363 = key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            var der = EcdsaSignatureEncoding.P1363ToDer(p1363);

            Assert.True(key.VerifyHash(digest, der, DSASignatureFormat.Rfc3279DerSequence));
            Assert.Equal(Expected(Convert.ToHexString(p1363[..32]), Convert.ToHexString(p1363[32..])), der);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    public void P1363ToDer_OddOrEmpty_Throws(int length) =>
        Assert.Throws<ArgumentException>(() => EcdsaSignatureEncoding.P1363ToDer(new byte[length]));

    private static byte[] Expected(string rHex, string sHex)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new BigInteger(Convert.FromHexString(rHex), isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new BigInteger(Convert.FromHexString(sHex), isUnsigned: true, isBigEndian: true));
        }

        return writer.Encode();
    }
}
