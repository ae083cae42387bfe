using System.Globalization;

namespace Rtgf.Pipeline.Operations.Traffic;

/// <summary>
/// One row of the daily snapshot (<c>trafficdaily</c>): the requests of one UTC hour to one route under one plan that got
/// one status class. Latencies are in milliseconds: exact nearest-rank percentiles of the hour's requests, and
/// <see cref="Histogram"/> (counts per <see cref="TrafficAggregation.BucketBoundsMilliseconds"/> bucket, the last one open)
/// so rows can be merged into wider views without the raw log.
/// </summary>
public sealed record TrafficHour(
    DateOnly Day,
    int Hour,
    string Route,
    string Plan,
    string StatusClass,
    long Count,
    long Errors,
    long RequestBytes,
    long ResponseBytes,
    double DurationMillisecondsSum,
    double P50Milliseconds,
    double P95Milliseconds,
    double P99Milliseconds,
    IReadOnlyList<long> Histogram);

/// <summary>One snapshot day: its hour rows and the totals its completion marker carries.</summary>
public sealed record TrafficDaySnapshot(DateOnly Day, IReadOnlyList<TrafficHour> Hours, long Requests, long Dropped);

/// <summary>Builds a day's snapshot from its log records; pure and deterministic (rows sorted by their keys).</summary>
public sealed class TrafficAggregation(DateOnly day)
{
    /// <summary>Upper bounds of the latency histogram's buckets in milliseconds; one more bucket holds everything slower.</summary>
    public static readonly IReadOnlyList<double> BucketBoundsMilliseconds = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly Dictionary<(int Hour, string Route, string Plan, string StatusClass), Group> _groups = [];
    private long _requests;
    private long _dropped;

    public DateOnly Day => day;

    public void Add(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = (record.At.UtcDateTime.Hour, record.Route, record.Plan, record.StatusClass);
        if (!_groups.TryGetValue(key, out var group))
        {
            _groups[key] = group = new Group();
        }

        group.Durations.Add(Math.Max(0, record.DurationMicroseconds));
        group.RequestBytes += record.RequestBytes;
        group.ResponseBytes += record.ResponseBytes;
        if (record.Status >= 500 || record.Status < 100)
        {
            group.Errors++;
        }

        _requests++;
    }

    public void Add(TrafficDrop drop)
    {
        ArgumentNullException.ThrowIfNull(drop);
        _dropped += drop.Total;
    }

    public TrafficDaySnapshot Build()
    {
        var hours = _groups
            .OrderBy(g => g.Key.Hour)
            .ThenBy(g => g.Key.StatusClass, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Plan, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Route, StringComparer.Ordinal)
            .Select(g => g.Value.Build(day, g.Key.Hour, g.Key.Route, g.Key.Plan, g.Key.StatusClass))
            .ToList();
        return new TrafficDaySnapshot(day, hours, _requests, _dropped);
    }

    /// <summary>Nearest-rank percentile of sorted values (<paramref name="percent"/> in 0–100].</summary>
    public static long Percentile(IReadOnlyList<long> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>The histogram bucket of a latency.</summary>
    public static int Bucket(double milliseconds)
    {
        for (var i = 0; i < BucketBoundsMilliseconds.Count; i++)
        {
            if (milliseconds <= BucketBoundsMilliseconds[i])
            {
                return i;
            }
        }

        return BucketBoundsMilliseconds.Count;
    }

    public static string FormatHistogram(IReadOnlyList<long> counts) =>
        string.Join(',', counts.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    public static IReadOnlyList<long> ParseHistogram(string? text) =>
        string.IsNullOrEmpty(text) ? [] : [.. text.Split(',').Select(c => long.Parse(c, NumberStyles.None, CultureInfo.InvariantCulture))];

    private static double Milliseconds(long microseconds) => microseconds / 1000.0;

    private sealed class Group
    {
        public List<long> Durations { get; } = [];

        public long Errors { get; set; }

        public long RequestBytes { get; set; }

        public long ResponseBytes { get; set; }

        public TrafficHour Build(DateOnly day, int hour, string route, string plan, string statusClass)
        {
            Durations.Sort();
            var histogram = new long[BucketBoundsMilliseconds.Count + 1];
            long sum = 0;
            foreach (var duration in Durations)
            {
                histogram[Bucket(Milliseconds(duration))]++;
                sum += duration;
            }

            return new TrafficHour(
                day, hour, route, plan, statusClass, Durations.Count, Errors, RequestBytes, ResponseBytes, Milliseconds(sum),
                Milliseconds(Percentile(Durations, 50)), Milliseconds(Percentile(Durations, 95)), Milliseconds(Percentile(Durations, 99)), histogram);
        }
    }
}
