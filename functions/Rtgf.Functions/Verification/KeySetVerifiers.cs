using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Keys;

namespace Rtgf.Functions.Verification;

/// <summary>
/// The token verifier for the published JWKS (current, previous and retired issuer keys and every certified publication
/// key). Building a verifier parses keys and checks certificates, so one is kept until the JWKS changes; the set is
/// re-read every <see cref="RefreshAfter"/>. A token naming an unknown kid waits for a read that started after the request
/// arrived (<see cref="ReadAfterAsync"/>), so a key the registry served by then is never answered <c>unknown-kid</c>.
/// Reads are shared by concurrent callers and start at most once per <see cref="MinRefreshInterval"/>: random kids cost the
/// key store at most one read per interval per instance, and each such request waits for the interval plus one read, at
/// most <see cref="MaxWait"/> (then the caller gets a <see cref="TimeoutException"/>, answered 503, never a wrong verdict).
/// </summary>
internal sealed class KeySetVerifiers : IDisposable
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    private readonly IKeySetReader _keys;
    private readonly TimeProvider _time;
    private readonly CoalescedReader<LoadedKeySet> _reads;
    private readonly List<Es256TokenVerifier> _built = [];

    public KeySetVerifiers(IKeySetReader keys, TimeProvider time)
    {
        _keys = keys;
        _time = time;
        _reads = new CoalescedReader<LoadedKeySet>(LoadAsync, MinRefreshInterval, MaxWait, time);
    }

    /// <summary>Taken when a request arrives: <see cref="ReadAfterAsync"/> with it sees every key served by then.</summary>
    public long Mark => _reads.Mark;

    /// <summary>The key set as last read, re-read when older than <see cref="RefreshAfter"/>.</summary>
    public async ValueTask<LoadedKeySet> GetAsync(CancellationToken cancellationToken)
    {
        var latest = _reads.Latest;
        if (latest is not null && _time.GetUtcNow() - latest.StartedAt < RefreshAfter)
        {
            return latest.Value;
        }

        return (await _reads.ReadAfterAsync(latest?.Id ?? 0, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>The key set from a read that started after <paramref name="mark"/> (for an unknown kid).</summary>
    public async ValueTask<LoadedKeySet> ReadAfterAsync(long mark, CancellationToken cancellationToken) =>
        (await _reads.ReadAfterAsync(mark, cancellationToken).ConfigureAwait(false)).Value;

    public void Dispose()
    {
        foreach (var verifier in _built)
        {
            verifier.Dispose();
        }
    }

    // Runs one at a time (the reader's single flight), so _built and the previous set need no lock.
    private async Task<LoadedKeySet> LoadAsync(CancellationToken cancellationToken)
    {
        var set = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        var json = set.ToCanonicalJson();
        var etag = Http.HttpCaching.StrongETag(json);
        if (_reads.Latest?.Value is { } previous && string.Equals(previous.ETag, etag, StringComparison.Ordinal))
        {
            return previous;
        }

        // Replaced verifiers stay alive until the app stops: requests in flight may still use them, and key sets change rarely.
#pragma warning disable CA2000 // Owned by _built, disposed with this object.
        var verifier = new Es256TokenVerifier(set, _time);
#pragma warning restore CA2000
        _built.Add(verifier);
        return new LoadedKeySet(set, json, etag, verifier);
    }
}

/// <summary>One read of the JWKS: the set, its canonical bytes and ETag, and a verifier for it.</summary>
internal sealed record LoadedKeySet(JsonWebKeySet Keys, byte[] Json, string ETag, Es256TokenVerifier Verifier);
