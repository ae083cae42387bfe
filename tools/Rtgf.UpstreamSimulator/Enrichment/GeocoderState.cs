using System.Globalization;
using System.Text.Json.Nodes;

namespace Rtgf.UpstreamSimulator.Enrichment;

/// <summary>
/// The geocoder simulator's counters and limits: at most <see cref="RequestsPerSecond"/> requests in any sliding second (more
/// are answered <c>OVER_QUERY_LIMIT</c> and counted as violations, so a test or bench can prove the client kept to the limit),
/// an optional daily quota (<c>OVER_DAILY_LIMIT</c> once spent), and per-address counts (a repeat is a second request for an
/// address already answered). Thread-safe; time from the simulator's clock.
/// </summary>
internal sealed class GeocoderState(TimeProvider time, int requestsPerSecond)
{
    private readonly object _gate = new();
    private readonly Queue<long> _window = new();
    private readonly Dictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private long _requests;
    private long _violations;
    private long _quotaRefusals;
    private int _peakPerSecond;

    /// <summary>Requests allowed in any sliding second; 0 for no limit.</summary>
    public int RequestsPerSecond { get; private set; } = requestsPerSecond;

    /// <summary>Answers left today; null for no quota.</summary>
    public long? DailyRemaining { get; private set; }

    /// <summary>
    /// How a spent daily quota is answered: <c>OVER_DAILY_LIMIT</c> (the documented status, default) or <c>OVER_QUERY_LIMIT</c>
    /// with Google's "You have exceeded your daily request quota for this API." (what the real API sends for a spent daily
    /// quota, googlemaps/google-maps-services-java#697).
    /// </summary>
    public string DailyQuotaStatus { get; private set; } = "OVER_DAILY_LIMIT";

    public enum Admission
    {
        Allowed,
        OverQueryLimit,
        OverDailyLimit,
    }

    /// <summary>Counts one request (for <paramref name="address"/>, normalised) and says whether it may be answered.</summary>
    public Admission Admit(string address)
    {
        lock (_gate)
        {
            _requests++;
            var now = time.GetTimestamp();
            var second = time.TimestampFrequency;
            while (_window.Count > 0 && now - _window.Peek() >= second)
            {
                _window.Dequeue();
            }

            if (RequestsPerSecond > 0 && _window.Count >= RequestsPerSecond)
            {
                _violations++;
                return Admission.OverQueryLimit;
            }

            _window.Enqueue(now);
            _peakPerSecond = Math.Max(_peakPerSecond, _window.Count);
            if (DailyRemaining is { } remaining)
            {
                if (remaining <= 0)
                {
                    _quotaRefusals++;
                    return Admission.OverDailyLimit;
                }

                DailyRemaining = remaining - 1;
            }

            _perAddress[address] = _perAddress.GetValueOrDefault(address) + 1;
            return Admission.Allowed;
        }
    }

    /// <summary>Applies <c>{requestsPerSecond, dailyQuota, dailyQuotaStatus}</c> (any may be absent; dailyQuota null lifts the quota).</summary>
    public void Configure(JsonObject body)
    {
        lock (_gate)
        {
            if (body.TryGetPropertyValue("requestsPerSecond", out var rps))
            {
                var value = rps?.GetValue<int>() ?? 0;
                RequestsPerSecond = value >= 0 ? value : throw new SimulatorException("requestsPerSecond must be 0 (no limit) or more.");
            }

            if (body.TryGetPropertyValue("dailyQuota", out var quota))
            {
                var value = quota?.GetValue<long>();
                DailyRemaining = value is null or >= 0 ? value : throw new SimulatorException("dailyQuota must be null (none) or 0 or more.");
            }

            if (body.TryGetPropertyValue("dailyQuotaStatus", out var style))
            {
                var value = style?.GetValue<string>();
                DailyQuotaStatus = value is "OVER_DAILY_LIMIT" or "OVER_QUERY_LIMIT" ? value : throw new SimulatorException("dailyQuotaStatus must be OVER_DAILY_LIMIT or OVER_QUERY_LIMIT.");
            }
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _window.Clear();
            _perAddress.Clear();
            _requests = _violations = _quotaRefusals = 0;
            _peakPerSecond = 0;
        }
    }

    public JsonObject Snapshot()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["requests"] = _requests,
                ["answered"] = _perAddress.Values.Sum(),
                ["addresses"] = _perAddress.Count,
                ["repeats"] = _perAddress.Values.Sum(n => n - 1),
                ["violations"] = _violations,
                ["quotaRefusals"] = _quotaRefusals,
                ["peakPerSecond"] = _peakPerSecond,
                ["requestsPerSecond"] = RequestsPerSecond,
                ["dailyRemaining"] = DailyRemaining is { } left ? JsonValue.Create(left) : null,
                ["dailyQuotaStatus"] = DailyQuotaStatus,
                ["checkedAt"] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            };
        }
    }
}
