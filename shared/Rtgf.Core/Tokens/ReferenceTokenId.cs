using System.Security.Cryptography;
using System.Text.Json.Nodes;
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
        // Canonicalise first: it refuses duplicate members and other non-I-JSON, which JsonNode would not.
        var canonical = CanonicalJson.Canonicalize(payload);
        if (JsonNode.Parse(canonical) is not JsonObject claims)
        {
            throw new CanonicalJsonException("A token payload must be a JSON object.");
        }

        foreach (var member in PublicationMembers)
        {
            claims.Remove(member);
        }

        return FromCompiledPayload(CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes(claims.ToJsonString())));
    }
}
