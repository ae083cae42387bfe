using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace Rtgf.Pipeline.Access;

/// <summary>The API areas the gate protects and what they require.</summary>
public enum AccessArea
{
    /// <summary><c>/v1</c>: scope <c>catalogue:read</c>, or the anonymous tier.</summary>
    Catalogue,

    /// <summary><c>/mcp</c>: scope <c>mcp</c>; no anonymous access.</summary>
    Mcp,
}

public enum AccessOutcome
{
    Allowed,

    /// <summary>401: no key where one is required, or a key that is malformed, unknown, revoked or expired.</summary>
    Unauthorized,

    /// <summary>403: the key lacks the area's scope.</summary>
    InsufficientScope,

    /// <summary>429: the per-minute rate (burst or shared minute window) is used up.</summary>
    RateLimited,

    /// <summary>429: the monthly quota is used up.</summary>
    QuotaExhausted,

    /// <summary>403: the client address is on the abuse list.</summary>
    Blocked,

    /// <summary>503: the hash key setting is missing or unusable.</summary>
    NotConfigured,
}

/// <summary>
/// The gate's verdict on one request, with what the answer must carry: the Bearer challenge for 401/403, the
/// <c>RateLimit-Policy</c> and <c>RateLimit</c> fields (draft-ietf-httpapi-ratelimit-headers), and <c>Retry-After</c>.
/// <see cref="KeyId"/> is the public id only, safe to log; <see cref="Key"/> is the accepted key's record (allowed with a
/// key only), for the app to tell handlers who called.
/// </summary>
public sealed record AccessDecision(
    AccessOutcome Outcome,
    string Detail,
    string? KeyId = null,
    string? Challenge = null,
    string? RateLimitPolicy = null,
    string? RateLimit = null,
    TimeSpan? RetryAfter = null,
    ApiKeyRecord? Key = null)
{
    public bool IsAllowed => Outcome == AccessOutcome.Allowed;
}

/// <summary>The gate's settings (docs/spec/api-keys.md).</summary>
public sealed record ApiAccessOptions
{
    public TimeSpan KeyCacheFor { get; init; } = TimeSpan.FromSeconds(5);

    public int AnonymousRequestsPerMinute { get; init; } = 60;

    public TimeSpan FlushEvery { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan LastUsedEvery { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Storage reads per minute, per instance, for key ids this instance does not know as keys (never read, or read and
    /// not found): random ids cost a read each, so past this they are refused (429) without one. Known keys always read.
    /// </summary>
    public int UnknownKeyReadsPerMinute { get; init; } = 6000;
}

/// <summary>
/// Decides whether a request to a protected area may proceed: the key (shape, then the cached or stored record, its hash
/// compared in fixed time, revocation, expiry, scope), then the limits (the local burst bucket, the shared minute window,
/// the shared month window); anonymous requests to <c>/v1</c> take a per-address bucket instead. The abuse list applies
/// only to requests without a valid key (none, malformed, unknown, revoked, expired).
/// It knows nothing of HTTP beyond the header values it produces.
/// </summary>
public sealed class ApiAccessGate
{
    public const string AnonymousPlan = "anonymous";
    private const string UnknownKeyReads = "\0unknown-key-reads";
    private const string Bearer = "Bearer";

    private readonly IApiKeyStore _keys;
    private readonly ApiKeyHasher? _hasher;
    private readonly string _hasherProblem;
    private readonly ApiPlans _plans;
    private readonly SharedUsageCounters _usage;
    private readonly LocalBuckets _buckets;
    private readonly AbuseList _abuse;
    private readonly TimeProvider _time;
    private readonly ApiAccessOptions _options;
    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _touched = new(StringComparer.Ordinal);
    private readonly SweepSchedule _sweeps = new(TimeSpan.FromSeconds(10));

    /// <summary>At most this many key ids are cached: past it (after a sweep), reads are not cached until there is room.</summary>
    public const int MaxCachedKeys = 100_000;

    public ApiAccessGate(IApiKeyStore keys, ApiKeyHasher? hasher, string hasherProblem, ApiPlans plans, IUsageCounterStore usage, AbuseList abuse, TimeProvider time, ApiAccessOptions options)
    {
        _keys = keys;
        _hasher = hasher;
        _hasherProblem = hasherProblem;
        _plans = plans;
        _abuse = abuse;
        _time = time;
        _options = options;
        _usage = new SharedUsageCounters(usage, time, options.FlushEvery);
        _usage.FlushFailed += e => CountFailed?.Invoke(e);
        _buckets = new LocalBuckets(time);
    }

    /// <summary>Raised when a sampled last-used write fails (the request it sampled was already answered).</summary>
    public event Action<string, Exception>? TouchFailed;

    /// <summary>Raised when a background write of the shared counters fails (the counts go with the next write).</summary>
    public event Action<Exception>? CountFailed;

    public AbuseList Abuse => _abuse;

    /// <summary>Decides a request to <paramref name="area"/> from <paramref name="address"/> with this <c>Authorization</c> value.</summary>
    public async ValueTask<AccessDecision> CheckAsync(AccessArea area, string? authorization, string address, CancellationToken cancellationToken)
    {
        // Address blocks apply to requests without a valid key only: a valid key is limited by its plan, and many customers
        // may share one address (a NAT, a proxy) with whoever earned the block.
        var scope = area == AccessArea.Mcp ? ApiScopes.Mcp : ApiScopes.CatalogueRead;
        if (string.IsNullOrEmpty(authorization))
        {
            return await BlockedAsync(address, cancellationToken).ConfigureAwait(false) ?? (area == AccessArea.Mcp
                ? new AccessDecision(AccessOutcome.Unauthorized, "This API needs an API key with scope 'mcp' (Authorization: Bearer rtgf_…).", Challenge: Bearer)
                : Anonymous(address));
        }

        if (!TryHash(authorization, out var id, out var hash))
        {
            return await BlockedAsync(address, cancellationToken).ConfigureAwait(false)
                ?? InvalidToken("The Authorization header is not 'Bearer ' followed by an RTGF API key (rtgf_<id>_<secret>).");
        }

        if (hash is null)
        {
            return new AccessDecision(AccessOutcome.NotConfigured, _hasherProblem);
        }

        if (!MayRead(id, out var readAfter))
        {
            return new AccessDecision(
                AccessOutcome.RateLimited,
                "Too many requests with API keys this instance does not know; retry shortly.",
                RetryAfter: readAfter);
        }

        var stored = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is null || !CryptographicOperations.FixedTimeEquals(hash, stored.Hash))
        {
            return await BlockedAsync(address, cancellationToken).ConfigureAwait(false) ?? InvalidToken("The API key is not valid.");
        }

        var record = stored.Record;
        var now = _time.GetUtcNow();
        if (record.IsRevoked)
        {
            return await BlockedAsync(address, cancellationToken).ConfigureAwait(false) ?? InvalidToken($"The API key {id} was revoked.", id);
        }

        if (record.IsExpired(now))
        {
            return await BlockedAsync(address, cancellationToken).ConfigureAwait(false) ?? InvalidToken($"The API key {id} expired.", id);
        }

        if (!record.HasScope(scope))
        {
            return new AccessDecision(
                AccessOutcome.InsufficientScope,
                $"The API key {id} lacks the scope '{scope}'.",
                id,
                Challenge: $"{Bearer} error=\"insufficient_scope\", scope=\"{scope}\"");
        }

        Touch(id, now);
        return await LimitAsync(record, _plans.For(record.Plan), now, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<AccessDecision?> BlockedAsync(string address, CancellationToken cancellationToken) =>
        await _abuse.BlockOfAsync(address, cancellationToken).ConfigureAwait(false) is { } block
            ? new AccessDecision(
                AccessOutcome.Blocked,
                $"This address is blocked until {block.Until.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)} after {block.Reason}.",
                RetryAfter: block.Until - _time.GetUtcNow())
            : null;

    /// <summary>Drops one key from this instance's cache (after a rotation or revocation here; other instances wait out the TTL).</summary>
    public void Forget(string id) => _cache.TryRemove(id, out _);

    /// <summary>Forgets every cached key (tests and benchmarks; the cache otherwise expires on its own).</summary>
    public void ClearCache() => _cache.Clear();

    /// <summary>
    /// The key's id and the hash of its secret, by shape alone (no storage read); the hash is null when the hash key is not
    /// configured. The secret never leaves this method.
    /// </summary>
    private bool TryHash(string authorization, out string id, out byte[]? hash)
    {
        hash = null;
        Span<byte> secret = stackalloc byte[ApiKeySecret.SecretBytes];
        if (!authorization.StartsWith(Bearer + " ", StringComparison.OrdinalIgnoreCase)
            || !ApiKeySecret.TryParse(authorization.AsSpan(Bearer.Length + 1).Trim(' '), out id, secret))
        {
            id = string.Empty;
            return false;
        }

        hash = _hasher?.Hash(secret);
        CryptographicOperations.ZeroMemory(secret);
        return true;
    }

    private static AccessDecision InvalidToken(string detail, string? id = null) =>
        new(AccessOutcome.Unauthorized, detail, id, Challenge: $"{Bearer} error=\"invalid_token\"");

    /// <summary>Whether <paramref name="id"/> may be looked up: cached, a known key, or within the budget for unknown ids.</summary>
    private bool MayRead(string id, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_cache.TryGetValue(id, out var cached) && (cached.Key is not null || _time.GetUtcNow() - cached.ReadAt < _options.KeyCacheFor))
        {
            return true;
        }

        var perMinute = _options.UnknownKeyReadsPerMinute;
        return _buckets.TryAcquire(UnknownKeyReads, Math.Max(1, perMinute / 30), perMinute, out retryAfter, out _);
    }

    private async ValueTask<StoredApiKey?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(id, out var cached) && now - cached.ReadAt < _options.KeyCacheFor)
        {
            return cached.Key;
        }

        var stored = await _keys.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (_sweeps.TryStart(now))
        {
            Sweep(now);
        }

        if (_cache.Count < MaxCachedKeys || _cache.ContainsKey(id))
        {
            _cache[id] = new CachedKey(stored, now);
        }

        return stored;
    }

    /// <summary>Drops expired cache entries and last-used marks old enough to be written again anyway (once per interval).</summary>
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _cache)
        {
            if (now - entry.ReadAt >= _options.KeyCacheFor)
            {
                _cache.TryRemove(new KeyValuePair<string, CachedKey>(key, entry));
            }
        }

        foreach (var (key, touched) in _touched)
        {
            if (now - touched >= _options.LastUsedEvery)
            {
                _touched.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, touched));
            }
        }
    }

    private AccessDecision Anonymous(string address)
    {
        var perMinute = _options.AnonymousRequestsPerMinute;
        var policy = $"\"{AnonymousPlan}\";q={perMinute};w=60";
        // t= is the bucket's own time: until it is full again when a token was left, until the next token when refused.
        var allowed = _buckets.TryAcquire("ip:" + address, perMinute, perMinute, out var retryAfter, out var remaining, out var fullIn);
        var reset = Seconds(allowed ? fullIn : retryAfter);
        var limit = $"\"{AnonymousPlan}\";r={remaining};t={reset}";
        return allowed
            ? new AccessDecision(AccessOutcome.Allowed, "anonymous", RateLimitPolicy: policy, RateLimit: limit)
            : new AccessDecision(AccessOutcome.RateLimited, $"Anonymous access is limited to {perMinute} requests a minute per address; use an API key for more.", RateLimitPolicy: policy, RateLimit: limit, RetryAfter: retryAfter);
    }

    private async ValueTask<AccessDecision> LimitAsync(ApiKeyRecord key, ApiPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = key.Id;
        var minuteEnd = UsageWindows.MinuteEnd(now);
        var monthEnd = UsageWindows.MonthEnd(now);
        var monthSeconds = (long)(monthEnd - UsageWindows.MonthStart(now)).TotalSeconds;
        var policy = $"\"minute\";q={plan.RequestsPerMinute};w=60, \"month\";q={plan.MonthlyQuota};w={monthSeconds}";
        var minuteWindow = UsageWindows.Minute(now);
        var monthWindow = UsageWindows.Month(now);
        string Limit(long minuteUsed, long monthUsed, long minuteReset) =>
            $"\"minute\";r={Math.Max(0, plan.RequestsPerMinute - minuteUsed)};t={minuteReset}, \"month\";r={Math.Max(0, plan.MonthlyQuota - monthUsed)};t={Seconds(monthEnd - now)}";

        var monthKnown = _usage.Known(id, monthWindow);
        if (monthKnown >= plan.MonthlyQuota)
        {
            return Quota(id, plan, policy, Limit(_usage.Known(id, minuteWindow), monthKnown, Seconds(minuteEnd - now)), monthEnd - now);
        }

        if (!_buckets.TryAcquire("key:" + id, plan.Burst, plan.RequestsPerMinute, out var retryAfter, out _))
        {
            return new AccessDecision(
                AccessOutcome.RateLimited,
                $"The API key {id} sent more than its plan's burst of {plan.Burst} requests ({plan.Name}: {plan.RequestsPerMinute} a minute).",
                id,
                RateLimitPolicy: policy,
                RateLimit: Limit(_usage.Known(id, minuteWindow), monthKnown, Seconds(retryAfter)),
                RetryAfter: retryAfter);
        }

        var minute = await _usage.TryTakeAsync(id, minuteWindow, plan.RequestsPerMinute, cancellationToken).ConfigureAwait(false);
        if (!minute.Allowed)
        {
            return new AccessDecision(
                AccessOutcome.RateLimited,
                $"The API key {id} used its plan's {plan.RequestsPerMinute} requests this minute ({plan.Name}).",
                id,
                RateLimitPolicy: policy,
                RateLimit: Limit(minute.Used, monthKnown, Seconds(minuteEnd - now)),
                RetryAfter: minuteEnd - now);
        }

        var month = await _usage.TryTakeAsync(id, monthWindow, plan.MonthlyQuota, cancellationToken).ConfigureAwait(false);
        if (!month.Allowed)
        {
            // Refused for the month: the minute slot and the burst token it took are given back, so a refusal costs nothing.
            _usage.GiveBack(id, minuteWindow);
            _buckets.GiveBack("key:" + id);
            return Quota(id, plan, policy, Limit(minute.Used - 1, month.Used, Seconds(minuteEnd - now)), monthEnd - now);
        }

        return new AccessDecision(AccessOutcome.Allowed, plan.Name, id, RateLimitPolicy: policy, RateLimit: Limit(minute.Used, month.Used, Seconds(minuteEnd - now)), Key: key);
    }

    private static AccessDecision Quota(string id, ApiPlan plan, string policy, string limit, TimeSpan retryAfter) =>
        new(
            AccessOutcome.QuotaExhausted,
            $"The API key {id} used its plan's monthly quota of {plan.MonthlyQuota} requests ({plan.Name}); it resets at the start of the next UTC month.",
            id,
            RateLimitPolicy: policy,
            RateLimit: limit,
            RetryAfter: retryAfter);

    /// <summary>Whole seconds, rounded up: a client that waits this long is not refused again for the same reason.</summary>
    public static long Seconds(TimeSpan span) => Math.Max(0, (long)Math.Ceiling(span.TotalSeconds));

    /// <summary>Writes last-used at most once per key per <see cref="ApiAccessOptions.LastUsedEvery"/> on this instance, off the request path.</summary>
    private void Touch(string id, DateTimeOffset now)
    {
        if (_touched.TryGetValue(id, out var last) && now - last < _options.LastUsedEvery)
        {
            return;
        }

        if (last == default ? !_touched.TryAdd(id, now) : !_touched.TryUpdate(id, now, last))
        {
            return; // another request of this key is writing it
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await _keys.TouchAsync(id, now, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                TouchFailed?.Invoke(id, e);
            }
        });
    }

    private sealed record CachedKey(StoredApiKey? Key, DateTimeOffset ReadAt);
}
