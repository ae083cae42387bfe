using System.Security.Cryptography;
using System.Text.Json;
using Rtgf.Core.Encoding;

namespace Rtgf.Core.Tokens;

/// <summary>
/// A reference token's id: lowercase hex SHA-256 of its canonical payload <em>without</em> the members publication adds
/// (<c>rev_epoch</c>, <c>status</c>). That is exactly the compiler's payload, so the registry, the revocation records and
/// a verifier holding only the JWS all name a token the same way.
/// </summary>
public static class ReferenceTokenId
{
    /// <summary>The members a publication adds to the compiled payload.</summary>
    public static readonly IReadOnlyList<string> PublicationMembers = ["rev_epoch", "status"];

    /// <summary>The id of a compiled payload (already canonical).</summary>
    public static string FromCompiledPayload(ReadOnlySpan<byte> canonicalPayload) =>
        Convert.ToHexStringLower(SHA256.HashData(canonicalPayload));

    /// <summary>The id of a signed payload (the JWS payload bytes); malformed JSON is a <see cref="CanonicalJsonException"/>.</summary>
    public static string FromSignedPayload(ReadOnlySpan<byte> payload)
    {
        // Canonicalise first: it refuses duplicate members and other non-I-JSON. In the canonical form each top-level
        // member is a contiguous run of bytes (no whitespace, keys sorted), so dropping the publication members' runs
        // leaves exactly the canonical form of the compiled payload: one canonicalisation and one reader pass (this is
        // on /verify's hot path).
        var canonical = CanonicalJson.Canonicalize(payload);
        var reader = new Utf8JsonReader(canonical);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new CanonicalJsonException("A token payload must be a JSON object.");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("{"u8);
        var first = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var dropped = reader.ValueTextEquals("rev_epoch"u8) || reader.ValueTextEquals("status"u8);
            reader.Read();
            reader.Skip();
            if (!dropped)
            {
                if (!first)
                {
                    hash.AppendData(","u8);
                }

                hash.AppendData(canonical, start, (int)reader.BytesConsumed - start);
                first = false;
            }
        }

        hash.AppendData("}"u8);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
