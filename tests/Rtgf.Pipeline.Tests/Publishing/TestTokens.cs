using System.Security.Cryptography;
using Rtgf.Compiler;
using Rtgf.Core.Encoding;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>Compiled tokens and builds made the way the compiler contract describes them (ids are SHA-256 of the bytes).</summary>
internal static class TestTokens
{
    public const string Issuer = "https://registry.rtgf.test";

    public static readonly DateTimeOffset FetchedAt = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static CompiledToken Token(string family, string subject, string factsJson, DateTimeOffset? issuedAt = null, TimeSpan? validity = null, string snapshot = "sha256:" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12")
    {
        var iat = issuedAt ?? FetchedAt;
        var exp = iat + (validity ?? TimeSpan.FromDays(365));
        var facts = CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes(factsJson));
        using var writer = new CanonicalJsonWriter(256);
        writer.WriteStartObject();
        writer.WriteNumber("exp", exp.ToUnixTimeSeconds());
        writer.WritePropertyName("facts");
        writer.WriteCanonicalized(facts);
        writer.WriteString("fam", family);
        writer.WriteNumber("iat", iat.ToUnixTimeSeconds());
        writer.WriteString("iss", Issuer);
        writer.WriteNumber("nbf", iat.ToUnixTimeSeconds());
        writer.WriteString("snap", snapshot);
        writer.WriteString("sub", subject);
        writer.WriteEndObject();
        var payload = writer.ToArray();
        return new CompiledToken(Hex(payload), family, subject, iat, iat, exp, snapshot, System.Text.Encoding.UTF8.GetString(facts), Hex(facts), payload);
    }

    /// <summary>A build of <paramref name="tokens"/>: the manifest lists the inputs and every token id, so its id changes with them.</summary>
    public static CompileResult Build(IReadOnlyList<BuildInput> inputs, IReadOnlyList<CompiledToken> tokens, string salt = "")
    {
        var ordered = tokens.OrderBy(t => t.Family, StringComparer.Ordinal).ThenBy(t => t.Subject, StringComparer.Ordinal).ToList();
        using var writer = new CanonicalJsonWriter(1024);
        writer.WriteStartObject();
        writer.WritePropertyName("inputs");
        writer.WriteStartArray();
        foreach (var input in inputs)
        {
            writer.WriteString(input.Source + "@" + input.Digest);
        }

        writer.WriteEndArray();
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
        return new CompileResult("sha256:" + Hex(manifest), manifest, inputs, ordered);
    }

    public static CompileResult Build(params CompiledToken[] tokens) =>
        Build([new BuildInput("test", "sha256:" + new string('0', 64), tokens.Length)], tokens);
}
