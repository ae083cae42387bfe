using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Keys;

namespace Rtgf.Functions.Verification;

/// <summary>
/// The token verifier for the published JWKS (current, previous and retired issuer keys and every certified publication
/// key). Building a verifier parses keys and checks certificates, so one is kept until the JWKS changes; the set is
/// re-read every <see cref="RefreshAfter"/>, and at once (at most every <see cref="MinRefreshInterval"/>, so unknown kids
/// cannot hammer the key store) when a token names an unknown kid.
/// </summary>
internal sealed class KeySetVerifiers(IKeySetReader keys, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Es256TokenVerifier> _built = [];
    private LoadedKeySet? _current;

    public async ValueTask<LoadedKeySet> GetAsync(bool unknownKid, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_current is { } current && !IsDue(current, now, unknownKid))
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } loaded && !IsDue(loaded, now, unknownKid))
            {
                return loaded;
            }

            var set = await keys.GetAsync(cancellationToken).ConfigureAwait(false);
            var json = set.ToCanonicalJson();
            var etag = Http.HttpCaching.StrongETag(json);
            if (_current is { } previous && string.Equals(previous.ETag, etag, StringComparison.Ordinal))
            {
                return _current = previous with { LoadedAt = now };
            }

            // Replaced verifiers stay alive until the app stops: requests in flight may still use them, and key sets change rarely.
#pragma warning disable CA2000 // Owned by _built, disposed with this object.
            var verifier = new Es256TokenVerifier(set, time);
#pragma warning restore CA2000
            _built.Add(verifier);
            return _current = new LoadedKeySet(set, json, etag, verifier, now);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var verifier in _built)
        {
            verifier.Dispose();
        }

        _gate.Dispose();
    }

    private static bool IsDue(LoadedKeySet set, DateTimeOffset now, bool unknownKid) =>
        now - set.LoadedAt >= RefreshAfter || (unknownKid && now - set.LoadedAt >= MinRefreshInterval);
}

/// <summary>One read of the JWKS: the set, its canonical bytes and ETag, and a verifier for it.</summary>
internal sealed record LoadedKeySet(JsonWebKeySet Keys, byte[] Json, string ETag, Es256TokenVerifier Verifier, DateTimeOffset LoadedAt);
