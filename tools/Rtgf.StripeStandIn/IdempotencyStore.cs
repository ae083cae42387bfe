namespace Rtgf.StripeStandIn;

/// <summary>
/// Stripe's idempotency keys: the first request with a key runs; a later one with the same key and the same endpoint and
/// parameters gets the first answer again; different parameters are an <c>idempotency_error</c>; a request while the
/// first is still running is a 409. Only completed (2xx) answers are kept, as Stripe keeps no result for requests that
/// failed validation.
/// </summary>
internal sealed class IdempotencyStore
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Begins a keyed request: run it, replay the first answer, or refuse.</summary>
    public Outcome Begin(string key, string fingerprint)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                _entries[key] = new Entry(fingerprint, null, null, null);
                return Outcome.Run;
            }

            if (entry.Fingerprint != fingerprint)
            {
                return Outcome.Mismatch;
            }

            return entry.Body is null ? Outcome.InFlight : new Outcome(OutcomeKind.Replay, entry.Status, entry.Body, entry.OriginalRequest);
        }
    }

    public void Complete(string key, int status, string body, string requestId)
    {
        lock (_gate)
        {
            if (status is >= 200 and < 300)
            {
                _entries[key] = _entries[key] with { Status = status, Body = body, OriginalRequest = requestId };
            }
            else
            {
                _entries.Remove(key);
            }
        }
    }

    private sealed record Entry(string Fingerprint, int? Status, string? Body, string? OriginalRequest);

    internal enum OutcomeKind
    {
        Run,
        Replay,
        Mismatch,
        InFlight,
    }

    internal sealed record Outcome(OutcomeKind Kind, int? Status = null, string? Body = null, string? OriginalRequest = null)
    {
        public static readonly Outcome Run = new(OutcomeKind.Run);
        public static readonly Outcome Mismatch = new(OutcomeKind.Mismatch);
        public static readonly Outcome InFlight = new(OutcomeKind.InFlight);
    }
}
