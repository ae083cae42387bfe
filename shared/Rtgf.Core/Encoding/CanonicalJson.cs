namespace Rtgf.Core.Encoding;

/// <summary>RFC 8785 JSON Canonicalization Scheme (JCS): the byte form that is hashed and signed.</summary>
public static class CanonicalJson
{
    /// <summary>
    /// Returns the canonical UTF-8 form of <paramref name="utf8Json"/>. Throws <see cref="CanonicalJsonException"/> for input
    /// that is not I-JSON: invalid JSON or UTF-8, duplicate member names, lone surrogates, non-finite numbers, integers
    /// beyond 2^53-1 written without fraction or exponent, or anything after the value.
    /// </summary>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        using var output = new PooledByteBuffer(utf8Json.Length + 16);
        JcsCanonicalizer.Canonicalize(utf8Json, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Whether <paramref name="utf8Json"/> is already exactly its own canonical form.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> utf8Json)
    {
        using var output = new PooledByteBuffer(utf8Json.Length + 16);
        try
        {
            JcsCanonicalizer.Canonicalize(utf8Json, output);
        }
        catch (CanonicalJsonException)
        {
            return false;
        }

        return output.WrittenSpan.SequenceEqual(utf8Json);
    }

    /// <summary>ECMAScript Number.prototype.toString, which RFC 8785 prescribes for numbers. Throws for NaN and infinities.</summary>
    public static string FormatNumber(double value) => JcsPrimitives.FormatNumber(value);
}
