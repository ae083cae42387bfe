using System.Text;
using System.Text.Json;
using Rtgf.Core.Encoding;
using Rtgf.Core.Tokens;
using Rtgf.Functions.Log;
using Rtgf.Pipeline.Revocation;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;

namespace Rtgf.Functions.Verification;

/// <summary>
/// What <c>POST /verify</c> checks, in order, collecting every reason: the ES256 signature against the published JWKS
/// (kid lookup across current, previous, retired and certified keys; only ES256; <c>exp</c>/<c>nbf</c> with 60 s skew),
/// the status-list bit named by the token's <c>status</c> claim against the current list and epoch (a revoked token's
/// verdict carries the revocation's reason), and, when the caller sends a checkpoint, the token's inclusion in the log.
/// </summary>
public sealed class TokenVerification(KeySetVerifiers keySets, StatusLists statusLists, IRevocationReader revocations, TransparencyLog log, TimeProvider time)
{
    /// <summary>Taken when a request arrives and passed to <see cref="VerifyAsync"/>: every key the registry served by then is known to the verdict.</summary>
    internal long KeySetMark => keySets.Mark;

    /// <summary>The verdict; <see cref="TimeoutException"/> when the key set or status could not be read fresh in time (a 503, never a wrong verdict).</summary>
    internal async Task<VerifyVerdict> VerifyAsync(
        string token, DateTimeOffset? at, string? checkpoint, ProofRequest? proof, long arrived, CancellationToken cancellationToken)
    {
        var keys = await keySets.GetAsync(cancellationToken).ConfigureAwait(false);
        var verdict = Verify(keys.Verifier, token, at);
        if (verdict.Has(TokenFailureCode.UnknownKeyId))
        {
            // The JWKS may have changed since it was read (a new publication key): verify again against a read that
            // started after this request arrived, so a key the registry already served is never unknown.
            var refreshed = await keySets.ReadAfterAsync(arrived, cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(refreshed.Verifier, keys.Verifier))
            {
                verdict = Verify(refreshed.Verifier, token, at);
            }
        }

        var reasons = verdict.Failures.Select(f => new VerifyReason(f.CodeName, f.Message)).ToList();
        var (tokenId, revEpoch, reference) = ReadStatusClaims(verdict.Payload.Span);
        var claims = new VerifiedClaims(verdict.KeyId, verdict.IssuerKeyId, verdict.Issuer, verdict.Subject, verdict.Family,
            verdict.IssuedAt, verdict.NotBefore, verdict.Expires, tokenId, revEpoch);

        VerifiedStatus? status = null;
        VerifiedRevocation? revocation = null;
        if (StatusCheckable(verdict))
        {
            // Only a token our keys signed costs status reads: a forged or broken one is answered from its signature alone,
            // and its status claim (epoch, list uri) never reaches the store.
            (status, revocation) = await CheckStatusAsync(reference, tokenId, revEpoch ?? 0, reasons, cancellationToken).ConfigureAwait(false);
        }

        VerifiedProof? included = null;
        if (checkpoint is not null && proof is not null)
        {
            included = await CheckInclusionAsync(token, checkpoint, proof, reasons, cancellationToken).ConfigureAwait(false);
        }

        return new VerifyVerdict(reasons.Count == 0, reasons, claims, status, revocation, included, at ?? time.GetUtcNow());
    }

    // One verifier per key set, at the caller's instant: keys and certificates verified once serve every 'at'.
    private static TokenVerdict Verify(Es256TokenVerifier verifier, string token, DateTimeOffset? at) =>
        at is { } instant ? verifier.Verify(token, instant) : verifier.Verify(token);

    private async Task<(VerifiedStatus Status, VerifiedRevocation? Revocation)> CheckStatusAsync(
        StatusListReference? reference, string? tokenId, long epochAtLeast, List<VerifyReason> reasons, CancellationToken cancellationToken)
    {
        var epoch = await statusLists.GetEpochAsync(epochAtLeast, cancellationToken).ConfigureAwait(false);
        if (reference is null)
        {
            reasons.Add(new VerifyReason(VerifyCodes.StatusMissing, "The token has no status.status_list claim with an idx and a uri."));
            return (new VerifiedStatus(null, null, null, null, epoch), null);
        }

        if (ListId(reference.Uri) is not { } listId)
        {
            reasons.Add(new VerifyReason(
                VerifyCodes.StatusReferenceInvalid,
                $"The status list uri '{TruncateUri(reference.Uri)}' is not an absolute URL ending in {StatusListId.PathPrefix}<family>/<n> (no query or fragment)."));
            return (new VerifiedStatus(reference.Uri, reference.Index, null, null, epoch), null);
        }

        var list = await statusLists.GetAsync(listId, epochAtLeast, cancellationToken).ConfigureAwait(false);
        if (list is null)
        {
            reasons.Add(new VerifyReason(VerifyCodes.StatusListUnknown, $"No status list is published at '{reference.Uri}'."));
            return (new VerifiedStatus(reference.Uri, reference.Index, null, null, epoch), null);
        }

        // A list signed at a later epoch than the one read above proves the store's epoch is at least that.
        epoch = Math.Max(epoch, list.Document.Epoch);
        if (list.Statuses is null)
        {
            reasons.Add(new VerifyReason(VerifyCodes.StatusListUnreadable, list.Problem!));
            return (new VerifiedStatus(reference.Uri, reference.Index, null, list.Document.Epoch, epoch), null);
        }

        if (reference.Index >= list.Statuses.Capacity)
        {
            reasons.Add(new VerifyReason(VerifyCodes.StatusIndexOutOfRange, $"Index {reference.Index} is beyond the {list.Statuses.Capacity} statuses of '{reference.Uri}'."));
            return (new VerifiedStatus(reference.Uri, reference.Index, null, list.Document.Epoch, epoch), null);
        }

        int value = list.Statuses[(int)reference.Index];
        VerifiedRevocation? revocation = null;
        if (value != StatusList.Valid)
        {
            var record = tokenId is null ? null : await revocations.GetRevocationAsync(tokenId, cancellationToken).ConfigureAwait(false);
            revocation = record is null ? null : new VerifiedRevocation(record.Kind, record.Reason, record.Epoch, record.RevokedAt, record.ReplacedBy, record.LogIndex);
            var why = record is null ? string.Empty : $" ({record.Kind}: {record.Reason})";
            reasons.Add(value == StatusList.Suspended
                ? new VerifyReason(VerifyCodes.Suspended, $"The token is suspended in status list epoch {list.Document.Epoch}{why}.")
                : new VerifyReason(VerifyCodes.Revoked, $"The token was revoked{(record is null ? string.Empty : " in epoch " + record.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture))}{why}."));
        }

        return (new VerifiedStatus(reference.Uri, reference.Index, value, list.Document.Epoch, epoch), revocation);
    }

    /// <summary>
    /// The list id (<c>&lt;family&gt;/&lt;n&gt;</c>, as <c>GET /revocations/status-lists/{family}/{n}</c> accepts) named by a
    /// status uri (<see cref="StatusListId.TryParseUri"/>), or null: anything else is refused before it becomes a storage key.
    /// </summary>
    internal static string? ListId(string uri) => StatusListId.TryParseUri(uri, out var id) ? id.ToString() : null;

    private static string TruncateUri(string uri) => uri.Length <= 200 ? uri : uri[..200] + "…";

    private async Task<VerifiedProof> CheckInclusionAsync(string token, string note, ProofRequest proof, List<VerifyReason> reasons, CancellationToken cancellationToken)
    {
        var key = await log.GetVerifierKeyAsync(cancellationToken).ConfigureAwait(false);
        var verification = CheckpointVerifier.Verify(note, [key], log.Origin);
        if (!verification.IsValid)
        {
            reasons.Add(new VerifyReason(VerifyCodes.CheckpointInvalid, "The checkpoint does not verify with this log's key: " + verification.Reason));
            return new VerifiedProof(proof.LogIndex, 0, null, false);
        }

        var checkpoint = verification.Checkpoint!;
        var result = new VerifiedProof(proof.LogIndex, checkpoint.Size, checkpoint.RootHashBase64, false);
        if (proof.LogIndex >= checkpoint.Size)
        {
            reasons.Add(new VerifyReason(VerifyCodes.LogIndexOutOfRange, $"Log index {proof.LogIndex} is not in a tree of size {checkpoint.Size}."));
            return result;
        }

        ReadOnlyMemory<byte> entry;
        IReadOnlyList<byte[]> hashes;
        try
        {
            entry = await log.Reader.GetEntryAsync(proof.LogIndex, checkpoint.Size, cancellationToken).ConfigureAwait(false);
            hashes = proof.Hashes ?? await log.Reader.GetInclusionProofAsync(proof.LogIndex, checkpoint.Size, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LogObjectMissingException or FormatException)
        {
            reasons.Add(new VerifyReason(VerifyCodes.ProofInvalid, $"This log cannot prove entry {proof.LogIndex} at size {checkpoint.Size}: {ex.Message}"));
            return result;
        }

        if (!EntryNamesToken(entry.Span, token))
        {
            reasons.Add(new VerifyReason(VerifyCodes.EntryMismatch, $"Log entry {proof.LogIndex} is not the token entry of this token (its tokenDigest differs)."));
            return result;
        }

        var check = MerkleProofVerifier.VerifyInclusion(proof.LogIndex, checkpoint.Size, MerkleHash.Leaf(entry.Span), hashes, checkpoint.RootHash);
        if (!check.IsValid)
        {
            reasons.Add(new VerifyReason(VerifyCodes.ProofInvalid, "The inclusion proof does not verify: " + check.Reason));
            return result;
        }

        return result with { Included = true };
    }

    /// <summary>
    /// The signature verified with a trusted key and the payload is readable (other failures, such as expiry, may remain):
    /// only then is the status claim worth a read.
    /// </summary>
    private static bool StatusCheckable(TokenVerdict verdict) => !verdict.Payload.IsEmpty && !verdict.Failures.Any(f => f.Code is
        TokenFailureCode.Malformed or TokenFailureCode.InvalidEncoding or TokenFailureCode.InvalidHeader or TokenFailureCode.UnsupportedAlgorithm or
        TokenFailureCode.MissingKeyId or TokenFailureCode.UnknownKeyId or TokenFailureCode.InvalidSignature or TokenFailureCode.InvalidPayload or
        TokenFailureCode.CertificateInvalid or TokenFailureCode.CertificateUntrustedIssuer);

    /// <summary>A token entry's <c>tokenDigest</c> is <c>sha256:&lt;hex&gt;</c> of the compact JWS (docs/spec/log-format.md).</summary>
    private static bool EntryNamesToken(ReadOnlySpan<byte> entry, string token)
    {
        try
        {
            var reader = new Utf8JsonReader(entry);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("type", out var type) && type.ValueEquals("token") &&
                document.RootElement.TryGetProperty("tokenDigest", out var digest) && digest.ValueKind == JsonValueKind.String &&
                digest.ValueEquals(Sha256Digest.Of(Encoding.UTF8.GetBytes(token)));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The token id (<see cref="ReferenceTokenId"/>: the registry's id), <c>rev_epoch</c> and the status-list reference, as far as they can be read.</summary>
    private static (string? TokenId, long? RevEpoch, StatusListReference? Reference) ReadStatusClaims(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return (null, null, null);
        }

        string? tokenId;
        try
        {
            tokenId = ReferenceTokenId.FromSignedPayload(payload);
        }
        catch (CanonicalJsonException)
        {
            tokenId = null;
        }

        try
        {
            // One pass over the top-level members, skipping the rest: a registration token with its scope inline is ~20 KiB,
            // and parsing all of it into a document for two small members cost /verify more than the members are worth.
            // As a document would: the whole object is read (and must be valid JSON), and a repeated member's last value counts.
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (tokenId, null, null);
            }

            long? revEpoch = null;
            StatusListReference? reference = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = reader.ValueTextEquals("rev_epoch"u8) ? 1 : reader.ValueTextEquals("status"u8) ? 2 : 0;
                reader.Read();
                if (member == 1)
                {
                    revEpoch = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var e) ? e : null;
                    reader.Skip();
                }
                else if (member == 2)
                {
                    using var status = JsonDocument.ParseValue(ref reader);
                    reference = StatusListReference.TryReadStatus(status.RootElement);
                }
                else
                {
                    reader.Skip();
                }
            }

            return (tokenId, revEpoch, reference);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string member holds invalid UTF-8.
            return (tokenId, null, null);
        }
    }
}
