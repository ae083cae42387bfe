using System.Collections.Concurrent;

namespace Rtgf.Functions.Billing;

/// <summary>
/// The success page's answer per Checkout Session for a few seconds (<see cref="Lifetime"/>), so reloads and a flood of
/// one id cost one Stripe read, not one each (Stripe's rate limit and the <c>stripe</c> circuit are shared with webhooks
/// and checkout). Bounded: when full, expired entries are dropped, and if it is still full nothing more is kept.
/// </summary>
public sealed class SessionPageCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, string Title, string Message)> _pages = new(StringComparer.Ordinal);

    public bool TryGet(string sessionId, out (string Title, string Message) page)
    {
        if (_pages.TryGetValue(sessionId, out var entry) && time.GetUtcNow() < entry.Until)
        {
            page = (entry.Title, entry.Message);
            return true;
        }

        page = default;
        return false;
    }

    public void Set(string sessionId, string title, string message)
    {
        var now = time.GetUtcNow();
        if (_pages.Count >= MaxEntries)
        {
            foreach (var stale in _pages.Where(p => p.Value.Until <= now).Select(p => p.Key).ToList())
            {
                _pages.TryRemove(stale, out _);
            }

            if (_pages.Count >= MaxEntries)
            {
                return;
            }
        }

        _pages[sessionId] = (now + Lifetime, title, message);
    }
}
