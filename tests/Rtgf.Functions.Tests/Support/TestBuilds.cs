using System.Security.Cryptography;
using Rtgf.Compiler;
using Rtgf.Core.Encoding;

namespace Rtgf.Functions.Tests.Support;

/// <summary>Compiled tokens and builds as the compiler contract describes them (ids are SHA-256 of the payload bytes), for the real publisher.</summary>
public static class TestBuilds
{
    public static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static CompiledToken Token(string issuer, string family, string subject, string factsJson, DateTimeOffset issuedAt, DateTimeOffset expires)
    {
        const string Snapshot = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        var facts = CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes(factsJson));
        using var writer = new CanonicalJsonWriter(256);
        writer.WriteStartObject();
        writer.WriteNumber("exp", expires.ToUnixTimeSeconds());
        writer.WritePropertyName("facts");
        writer.WriteCanonicalized(facts);
        writer.WriteString("fam", family);
        writer.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
        writer.WriteString("iss", issuer);
        writer.WriteNumber("nbf", issuedAt.ToUnixTimeSeconds());
        writer.WriteString("snap", Snapshot);
        writer.WriteString("sub", subject);
        writer.WriteEndObject();
        var payload = writer.ToArray();
        return new CompiledToken(Hex(payload), family, subject, issuedAt, issuedAt, expires, Snapshot, System.Text.Encoding.UTF8.GetString(facts), Hex(facts), payload);
    }

    /// <summary>A build of <paramref name="tokens"/>; its manifest lists them and <paramref name="salt"/>, so its id changes with either.</summary>
    public static CompileResult Build(IReadOnlyList<CompiledToken> tokens, string salt = "")
    {
        var ordered = tokens.OrderBy(t => t.Family, StringComparer.Ordinal).ThenBy(t => t.Subject, StringComparer.Ordinal).ToList();
        using var writer = new CanonicalJsonWriter(1024);
        writer.WriteStartObject();
        writer.WriteString("salt", salt);
        writer.WritePropertyName("tokens");
        writer.WriteStartArray();
        foreach (var token in ordered)
        {
            writer.WriteString(token.TokenId);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        var manifest = writer.ToArray();
        return new CompileResult("sha256:" + Hex(manifest), manifest, [new BuildInput("test", "sha256:" + new string('0', 64), tokens.Count)], ordered);
    }
}
