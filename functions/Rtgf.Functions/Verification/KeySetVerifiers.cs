using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Keys;

namespace Rtgf.Functions.Verification;

/// <summary>
/// The token verifier for the published JWKS (current, previous and retired issuer keys and every certified publication
/// key). One verifier is kept until the JWKS changes, and serves every request and every <c>at</c>: it finds keys by kid and
/// checks each certificate once, when a token first names its key. The set is re-read every <see cref="RefreshAfter"/>. A token naming an unknown kid waits for a read that started after the request
/// arrived (<see cref="ReadAfterAsync"/>), so a key the registry served by then is never answered <c>unknown-kid</c>.
/// Reads are shared by concurrent callers and start at most once per <see cref="MinRefreshInterval"/>: random kids cost the
/// key store at most one read per interval per instance, and each such request waits for the interval plus one read, at
/// most <see cref="MaxWait"/> (then the caller gets a <see cref="TimeoutException"/>, answered 503, never a wrong verdict).
/// </summary>
public sealed class KeySetVerifiers : IDisposable
{
    internal static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    private readonly IKeySetReader _keys;
    private readonly TimeProvider _time;
    private readonly CoalescedReader<LoadedKeySet> _reads;

    public KeySetVerifiers(IKeySetReader keys, TimeProvider time)
    {
        _keys = keys;
        _time = time;
        _reads = new CoalescedReader<LoadedKeySet>(LoadAsync, MinRefreshInterval, MaxWait, time);
    }

    /// <summary>Taken when a request arrives: <see cref="ReadAfterAsync"/> with it sees every key served by then.</summary>
    internal long Mark => _reads.Mark;

    /// <summary>
    /// The key set as last read, re-read when older than <see cref="RefreshAfter"/>. When that refresh fails (the key store or
    /// the issuer key cannot be read) the last good set is served: the keys it holds were the issuer's when read. Throws
    /// <see cref="KeySetUnavailableException"/> when no read has succeeded yet.
    /// </summary>
    internal async ValueTask<LoadedKeySet> GetAsync(CancellationToken cancellationToken)
    {
        var latest = _reads.Latest;
        if (latest is not null && _time.GetUtcNow() - latest.StartedAt < RefreshAfter)
        {
            return latest.Value;
        }

        try
        {
            return (await _reads.ReadAfterAsync(latest?.Id ?? 0, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return latest?.Value ?? throw new KeySetUnavailableException("The issuer's key set could not be read.", e);
        }
    }

    /// <summary>
    /// The key set from a read that started after <paramref name="mark"/> (for an unknown kid). No fallback: an older set
    /// could answer <c>unknown-kid</c> wrongly, so a failed read throws (<see cref="TimeoutException"/> or
    /// <see cref="KeySetUnavailableException"/>), answered 503.
    /// </summary>
    internal async ValueTask<LoadedKeySet> ReadAfterAsync(long mark, CancellationToken cancellationToken)
    {
        try
        {
            return (await _reads.ReadAfterAsync(mark, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (Exception e) when (e is not TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new KeySetUnavailableException("The issuer's key set could not be read.", e);
        }
    }

    public void Dispose() => _reads.Latest?.Value.Verifier.Dispose();

    // Runs one at a time (the reader's single flight), so the previous set needs no lock.
    private async Task<LoadedKeySet> LoadAsync(CancellationToken cancellationToken)
    {
        var set = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        var json = set.ToCanonicalJson();
        var etag = Http.HttpCaching.StrongETag(json);
        if (_reads.Latest?.Value is { } previous && string.Equals(previous.ETag, etag, StringComparison.Ordinal))
        {
            return previous;
        }

        // A replaced verifier is not disposed (requests in flight may still use it) but not kept either: the GC reclaims it
        // and its keys' ECDsa handles once the last request lets go, so memory does not grow with every key-set change.
#pragma warning disable CA2000 // Owned by the LoadedKeySet; the latest is disposed with this object.
        var verifier = new Es256TokenVerifier(set, _time);
#pragma warning restore CA2000
        return new LoadedKeySet(set, json, etag, verifier);
    }
}

/// <summary>One read of the JWKS: the set, its canonical bytes and ETag, and a verifier for it.</summary>
internal sealed record LoadedKeySet(JsonWebKeySet Keys, byte[] Json, string ETag, Es256TokenVerifier Verifier);
