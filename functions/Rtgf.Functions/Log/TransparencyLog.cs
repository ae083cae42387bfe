using Microsoft.Extensions.Options;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Keys;
using Rtgf.Transparency.Audit;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Functions.Log;

/// <summary>
/// The transparency log as the APIs read it: the object store, a tile-caching reader, the log's identity (origin and the
/// issuer key that signs checkpoints, as a signed-note verifier key) and the current checkpoint, verified with that key.
/// </summary>
public sealed class TransparencyLog(ILogObjectStore store, IIssuerSigner issuer, IOptions<IssuerOptions> options)
{
    private NoteVerifierKey? _verifierKey;

    internal ILogObjectStore Store { get; } = store;

    internal LogReader Reader { get; } = new(new StoreObjectSource(store));

    internal string Origin => options.Value.LogOrigin;

    internal async ValueTask<NoteVerifierKey> GetVerifierKeyAsync(CancellationToken cancellationToken)
    {
        if (_verifierKey is { } key)
        {
            return key;
        }

        var signer = await issuer.GetAsync(cancellationToken).ConfigureAwait(false);
        return _verifierKey = NoteVerifierKey.ForEcdsa(Origin, signer.PublicKey);
    }

    /// <summary>
    /// Audits the whole stored log with the log's own key and origin (<c>GET /ops/log/audit</c>); the store lists its objects
    /// (Blob in Azure), so stored partials are checked for immutability too.
    /// </summary>
    internal async Task<LogAuditReport> AuditAsync(CancellationToken cancellationToken)
    {
        var key = await GetVerifierKeyAsync(cancellationToken).ConfigureAwait(false);
        var auditor = new LogAuditor(new StoreObjectSource(Store), [key], Origin, Store as ILogObjectLister);
        return await auditor.AuditAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The current checkpoint note and its parsed body, or null when the log has none yet.</summary>
    internal async ValueTask<CurrentCheckpoint?> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        var note = await Reader.ReadCheckpointAsync(cancellationToken).ConfigureAwait(false);
        if (note is null)
        {
            return null;
        }

        var key = await GetVerifierKeyAsync(cancellationToken).ConfigureAwait(false);
        var verification = CheckpointVerifier.Verify(note, [key], Origin);
        if (!verification.IsValid)
        {
            throw new InvalidOperationException("The stored checkpoint does not verify with the log's own key: " + verification.Reason);
        }

        return new CurrentCheckpoint(note, verification.Checkpoint!);
    }
}

/// <summary>The checkpoint note as stored (signed) and its body.</summary>
internal sealed record CurrentCheckpoint(string Note, Checkpoint Checkpoint);
