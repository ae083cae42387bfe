namespace Rtgf.Core.Signing;

/// <summary>
/// The issuer keys and their rotation. A rotation publishes the next key (pending) before it activates; at activation the
/// old key becomes previous for the overlap window, then retired. Retired keys that signed logged artefacts stay in the
/// published JWKS forever (<c>"rtgf_status":"retired"</c> with <c>rtgf_retired_at</c>), so old artefacts stay verifiable.
/// States are computed from the injected clock. Thread-safe.
/// </summary>
public sealed class IssuerKeyRing(TimeProvider time)
{
    private readonly List<IssuerKey> _keys = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<IssuerKey> Keys
    {
        get
        {
            lock (_gate)
            {
                return [.. _keys];
            }
        }
    }

    /// <summary>The key that signs now. Throws if no key is active.</summary>
    public IssuerKey Current
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_gate)
            {
                return CurrentAt(now) ?? throw new InvalidOperationException("The issuer key ring has no active key.");
            }
        }
    }

    /// <summary>Adds the first key (or another key) valid from <paramref name="notBefore"/>.</summary>
    public void Add(EcPublicKey key, DateTimeOffset notBefore, DateTimeOffset? retiredAt = null, bool signedLoggedArtefacts = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_keys.Exists(k => string.Equals(k.Kid, key.Thumbprint, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"The key ring already holds key '{key.Thumbprint}'.", nameof(key));
            }

            _keys.Add(new IssuerKey(key, notBefore, retiredAt, signedLoggedArtefacts));
        }
    }

    /// <summary>
    /// Rotates to <paramref name="next"/> at <paramref name="activatesAt"/>; every older key still active retires at
    /// <paramref name="activatesAt"/> + <paramref name="overlap"/> (the window in which verifiers still accept it as previous).
    /// </summary>
    public void Rotate(EcPublicKey next, DateTimeOffset activatesAt, TimeSpan overlap)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentOutOfRangeException.ThrowIfLessThan(overlap, TimeSpan.Zero);
        lock (_gate)
        {
            for (var i = 0; i < _keys.Count; i++)
            {
                var key = _keys[i];
                if (key.NotBefore <= activatesAt && (key.RetiredAt is null || key.RetiredAt > activatesAt + overlap))
                {
                    _keys[i] = key with { RetiredAt = activatesAt + overlap };
                }
            }
        }

        Add(next, activatesAt);
    }

    /// <summary>Records that <paramref name="kid"/> signed an artefact that went into the transparency log: it is then published forever.</summary>
    public void MarkLogged(string kid)
    {
        lock (_gate)
        {
            var i = _keys.FindIndex(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));
            if (i < 0)
            {
                throw new KeyNotFoundException($"The key ring has no key '{kid}'.");
            }

            _keys[i] = _keys[i] with { SignedLoggedArtefacts = true };
        }
    }

    public IssuerKeyState StateOf(string kid)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var key = _keys.Find(k => string.Equals(k.Kid, kid, StringComparison.Ordinal))
                ?? throw new KeyNotFoundException($"The key ring has no key '{kid}'.");
            return StateAt(key, now);
        }
    }

    /// <summary>
    /// The JWKS to publish now: pending, current and previous keys, retired keys that signed logged artefacts, then the
    /// given certified signing keys. Ordered by state, then newest first, then kid, so equal rings publish equal bytes.
    /// </summary>
    public JsonWebKeySet ToPublishedKeySet(IEnumerable<JsonWebKey>? certifiedSigningKeys = null)
    {
        var now = time.GetUtcNow();
        List<(IssuerKey Key, IssuerKeyState State)> published;
        lock (_gate)
        {
            published = [.. _keys
                .Select(k => (Key: k, State: StateAt(k, now)))
                .Where(e => e.State != IssuerKeyState.Retired || e.Key.SignedLoggedArtefacts)
                .OrderBy(e => e.State)
                .ThenByDescending(e => e.Key.NotBefore)
                .ThenBy(e => e.Key.Kid, StringComparer.Ordinal)];
        }

        var keys = published.Select(e => new JsonWebKey(
            e.Key.PublicKey,
            status: Name(e.State),
            retiredAt: e.State == IssuerKeyState.Retired ? e.Key.RetiredAt : null));
        return new JsonWebKeySet(keys.Concat(certifiedSigningKeys ?? []));
    }

    private IssuerKey? CurrentAt(DateTimeOffset now) =>
        _keys.Where(k => StateAt(k, now) == IssuerKeyState.Current).MaxBy(k => k.NotBefore);

    private IssuerKeyState StateAt(IssuerKey key, DateTimeOffset now)
    {
        if (key.RetiredAt is { } retiredAt && retiredAt <= now)
        {
            return IssuerKeyState.Retired;
        }

        if (key.NotBefore > now)
        {
            return IssuerKeyState.Pending;
        }

        var newest = _keys.Where(k => k.NotBefore <= now && (k.RetiredAt is null || k.RetiredAt > now)).MaxBy(k => k.NotBefore);
        return ReferenceEquals(newest, key) ? IssuerKeyState.Current : IssuerKeyState.Previous;
    }

    private static string Name(IssuerKeyState state) => state switch
    {
        IssuerKeyState.Pending => "pending",
        IssuerKeyState.Current => "current",
        IssuerKeyState.Previous => "previous",
        _ => "retired",
    };
}
