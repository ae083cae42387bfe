using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Core.Signing;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Ingestion.Tests.Support;

/// <summary>A regulator's ES256 key signing snapshot manifests as compact JWS, and the JWKS we would configure for it.</summary>
internal sealed class RegulatorSigner : IDisposable
{
    private readonly LocalDevelopmentSigner _signer = LocalDevelopmentSigner.Create();

    public string Kid => _signer.PublicKey.Thumbprint;

    public JsonWebKeySet Keys => new([new JsonWebKey(_signer.PublicKey)]);

    /// <summary>Signs the manifest (plus iat/exp around <paramref name="now"/>) with header typ <paramref name="type"/>.</summary>
    public async Task<string> SignAsync(SnapshotManifest manifest, DateTimeOffset now, string type = SignedSnapshotVerifier.TokenType, string? kid = null)
    {
        var payload = JsonNode.Parse(manifest.ToCanonicalJson())!.AsObject();
        payload["iat"] = now.ToUnixTimeSeconds();
        payload["exp"] = now.AddDays(30).ToUnixTimeSeconds();
        var header = $$"""{"alg":"ES256","kid":"{{kid ?? Kid}}","typ":"{{type}}"}""";
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = await _signer.SignDigestAsync(SHA256.HashData(Encoding.ASCII.GetBytes(input)));
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose() => _signer.Dispose();
}
