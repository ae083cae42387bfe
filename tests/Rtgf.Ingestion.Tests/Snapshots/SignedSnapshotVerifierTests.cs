using System.Text;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Ingestion.Tests.Support;
using Rtgf.Testing;

namespace Rtgf.Ingestion.Tests.Snapshots;

public sealed class SignedSnapshotVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly RegulatorSigner _regulator = new();
    private readonly ManualTimeProvider _time = new(Now);
    private readonly Snapshot _snapshot = SnapshotBuilder.Build(
        "teqsa", "regulator-2026-03", Now, [new SnapshotProvenance("https://regulator.invalid/snapshot", "signed-snapshot")],
        [new TeqsaProviderRecord("PRV12001", "Example University", null, "Australian University", "Yes", "Registered", null, null, [])]);

    [Fact]
    public async Task Verify_SignedByConfiguredKey_AcceptsManifestAndRecords()
    {
        using var verifier = new SignedSnapshotVerifier(_regulator.Keys, _time);

        var verdict = verifier.Verify(await _regulator.SignAsync(_snapshot.Manifest, Now), _snapshot.Records);

        Assert.True(verdict.IsAccepted, verdict.Reason);
        Assert.Equal(_snapshot.Manifest with { Provenance = [] }, verdict.Snapshot!.Manifest with { Provenance = [] });
        Assert.Equal(_snapshot.ManifestJson.ToArray(), verdict.Snapshot.ManifestJson.ToArray());
    }

    [Fact]
    public async Task Verify_TamperedRecords_RejectedForDigest()
    {
        using var verifier = new SignedSnapshotVerifier(_regulator.Keys, _time);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(_snapshot.Records.Span).Replace("Example", "Exemplar", StringComparison.Ordinal));

        var verdict = verifier.Verify(await _regulator.SignAsync(_snapshot.Manifest, Now), tampered);

        Assert.False(verdict.IsAccepted);
        Assert.Contains("digest", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TamperedManifest_RejectedForSignature()
    {
        using var verifier = new SignedSnapshotVerifier(_regulator.Keys, _time);
        var jws = await _regulator.SignAsync(_snapshot.Manifest, Now);
        var other = await _regulator.SignAsync(_snapshot.Manifest with { RecordCount = 2 }, Now);
        var spliced = string.Join('.', jws.Split('.')[0], other.Split('.')[1], jws.Split('.')[2]);

        var verdict = verifier.Verify(spliced, _snapshot.Records);

        Assert.False(verdict.IsAccepted);
        Assert.Contains("InvalidSignature", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_UnknownKid_Rejected()
    {
        using var stranger = new RegulatorSigner();
        using var verifier = new SignedSnapshotVerifier(_regulator.Keys, _time);

        var verdict = verifier.Verify(await stranger.SignAsync(_snapshot.Manifest, Now), _snapshot.Records);

        Assert.False(verdict.IsAccepted);
        Assert.Contains("UnknownKeyId", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WrongType_Rejected()
    {
        using var verifier = new SignedSnapshotVerifier(_regulator.Keys, _time);

        var verdict = verifier.Verify(await _regulator.SignAsync(_snapshot.Manifest, Now, type: "JWT"), _snapshot.Records);

        Assert.False(verdict.IsAccepted);
        Assert.Contains("UnexpectedType", verdict.Reason, StringComparison.Ordinal);
    }

    public void Dispose() => _regulator.Dispose();
}
