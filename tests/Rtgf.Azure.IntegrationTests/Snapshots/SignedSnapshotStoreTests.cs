using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Azure.Snapshots;
using Rtgf.Core.Signing;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Snapshots;

/// <summary>A regulator-signed snapshot reaches the store only once verified against that regulator's JWKS.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SignedSnapshotStoreTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly LocalDevelopmentSigner _regulator = LocalDevelopmentSigner.Create();
    private readonly Snapshot _snapshot = SnapshotBuilder.Build(
        "teqsa", "regulator-2026-03", Now, [new SnapshotProvenance("https://regulator.invalid/snapshot", "signed-snapshot")],
        [new TeqsaProviderRecord("PRV12001", "Example University", null, "Australian University", "Yes", "Registered", null, null, [])]);

    [Fact]
    public async Task SignedSnapshot_Verified_StoredAsLatest()
    {
        var container = await azurite.NewContainerAsync();
        var store = new BlobSnapshotStore(container);
        using var verifier = new SignedSnapshotVerifier(new JsonWebKeySet([new JsonWebKey(_regulator.PublicKey)]), new ManualTimeProvider(Now));

        var verdict = verifier.Verify(await SignAsync(_regulator, _snapshot.Manifest), _snapshot.Records);
        Assert.True(verdict.IsAccepted, verdict.Reason);
        var result = await store.WriteAsync(verdict.Snapshot!);

        Assert.True(result.Created);
        var latest = await store.GetLatestAsync("teqsa");
        Assert.Equal(_snapshot.ManifestJson.ToArray(), latest!.ManifestJson.ToArray());
        Assert.Equal(_snapshot.Records.ToArray(), latest.Records.ToArray());
    }

    [Fact]
    public async Task SignedSnapshot_TamperedOrUnknownKid_RejectedAndNothingStored()
    {
        var container = await azurite.NewContainerAsync();
        var store = new BlobSnapshotStore(container);
        using var stranger = LocalDevelopmentSigner.Create();
        using var verifier = new SignedSnapshotVerifier(new JsonWebKeySet([new JsonWebKey(_regulator.PublicKey)]), new ManualTimeProvider(Now));
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(_snapshot.Records.Span).Replace("Registered", "Cancelled", StringComparison.Ordinal));

        var badRecords = verifier.Verify(await SignAsync(_regulator, _snapshot.Manifest), tampered);
        var unknownKid = verifier.Verify(await SignAsync(stranger, _snapshot.Manifest), _snapshot.Records);

        Assert.False(badRecords.IsAccepted);
        Assert.Contains("digest", badRecords.Reason, StringComparison.Ordinal);
        Assert.False(unknownKid.IsAccepted);
        Assert.Contains("UnknownKeyId", unknownKid.Reason, StringComparison.Ordinal);
        Assert.Null(await store.GetLatestAsync("teqsa"));
    }

    public void Dispose() => _regulator.Dispose();

    private static async Task<string> SignAsync(LocalDevelopmentSigner signer, SnapshotManifest manifest)
    {
        var payload = JsonNode.Parse(manifest.ToCanonicalJson())!.AsObject();
        payload["iat"] = Now.ToUnixTimeSeconds();
        payload["exp"] = Now.AddDays(30).ToUnixTimeSeconds();
        var header = $$"""{"alg":"ES256","kid":"{{signer.PublicKey.Thumbprint}}","typ":"{{SignedSnapshotVerifier.TokenType}}"}""";
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return input + "." + Base64Url.EncodeToString(await signer.SignDigestAsync(SHA256.HashData(Encoding.ASCII.GetBytes(input))));
    }
}
