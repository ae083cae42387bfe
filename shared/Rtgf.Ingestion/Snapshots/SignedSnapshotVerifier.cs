using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Ingestion.Snapshots;

/// <summary>
/// Accepts a snapshot a regulator signed: a compact ES256 JWS (header <c>typ</c> <see cref="TokenType"/>) whose payload
/// is the manifest (plus the signer's <c>iat</c>/<c>exp</c>), verified against that regulator's configured JWKS, and
/// records whose digest and line count match the manifest. Anything else is rejected with the reason.
/// </summary>
public sealed class SignedSnapshotVerifier : IDisposable
{
    public const string TokenType = "rtgf-snapshot+jws";

    private readonly Es256TokenVerifier _verifier;

    public SignedSnapshotVerifier(JsonWebKeySet regulatorKeys, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(regulatorKeys);
        ArgumentNullException.ThrowIfNull(time);
        _verifier = new Es256TokenVerifier(regulatorKeys, time, new TokenVerifierOptions { ExpectedType = TokenType });
    }

    public SnapshotVerdict Verify(string jws, ReadOnlyMemory<byte> records)
    {
        ArgumentNullException.ThrowIfNull(jws);
        var verdict = _verifier.Verify(jws);
        if (!verdict.IsValid)
        {
            return Reject("the signature was not accepted: " + string.Join("; ", verdict.Failures.Select(f => $"{f.Code}: {f.Message}")));
        }

        SnapshotManifest manifest;
        try
        {
            manifest = SnapshotManifest.Parse(verdict.Payload.Span);
        }
        catch (SnapshotException e)
        {
            return Reject(e.Message);
        }

        var digest = SnapshotBuilder.DigestOf(records.Span);
        if (!string.Equals(digest, manifest.Digest, StringComparison.Ordinal))
        {
            return Reject($"the records' digest {digest} does not match the signed manifest's {manifest.Digest}.");
        }

        var lines = records.Span.Count((byte)'\n');
        if (lines != manifest.RecordCount || (records.Length > 0 && records.Span[^1] != (byte)'\n'))
        {
            return Reject($"the records hold {lines} lines, the signed manifest says {manifest.RecordCount}.");
        }

        return new SnapshotVerdict(new Snapshot(manifest, manifest.ToCanonicalJson(), records), null);
    }

    public void Dispose() => _verifier.Dispose();

    private static SnapshotVerdict Reject(string reason) => new(null, "Signed snapshot rejected: " + reason);
}
