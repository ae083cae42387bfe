using System.Globalization;
using System.Text.Json;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Register.Stats;

/// <summary>
/// The shortage, vacancy and labour aggregates of a build, read from its <c>osl</c>, <c>ivi</c> and <c>abs</c> snapshots
/// (their records as <see cref="OccupationShortageRecord"/>, <see cref="VacancySeriesRecord"/> and
/// <see cref="LabourSeriesRecord"/> write them). A line of another kind in those snapshots is a <see cref="FormatException"/>
/// naming it. Only the members the aggregates need are read.
/// </summary>
public sealed class LabourAggregates
{
    private readonly List<(string Classification, int ListYear, string National, Dictionary<string, string> States)> _shortages = [];
    private readonly List<(string Series, string State, int Level, Dictionary<DateOnly, decimal> Points)> _vacancies = [];
    private readonly List<(string Dataflow, string SeriesKey, string Measure, string State, string Unit, LabourObservation? Latest)> _labour = [];
    private bool _osl;
    private bool _ivi;
    private bool _abs;

    /// <summary>Whether this reader reads <paramref name="source"/>'s snapshots.</summary>
    public static bool Reads(string source) => source is IngestSources.Osl or IngestSources.Ivi or IngestSources.Abs;

    public void Read(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var source = snapshot.Manifest.Source;
        _osl |= source == IngestSources.Osl;
        _ivi |= source == IngestSources.Ivi;
        _abs |= source == IngestSources.Abs;
        SnapshotLines.Read(
            snapshot.Records,
            r => ReadRecord(source, r),
            line => $"Snapshot {source}@{snapshot.Manifest.Digest} line {line} is not a record the statistics read");
    }

    public ShortageStats? Shortages()
    {
        if (!_osl)
        {
            return null;
        }

        var byClassification = new SortedDictionary<string, ShortageCounts>(StringComparer.Ordinal);
        foreach (var group in _shortages.GroupBy(s => s.Classification, StringComparer.Ordinal))
        {
            var national = Zeros(OccupationShortageRecord.Ratings);
            var byState = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
            foreach (var state in OccupationShortageRecord.StateCodes)
            {
                byState[state] = Zeros(OccupationShortageRecord.Ratings);
            }

            foreach (var (_, _, rating, states) in group)
            {
                national[rating] = national.GetValueOrDefault(rating) + 1;
                foreach (var (state, stateRating) in states)
                {
                    if (!byState.TryGetValue(state, out var counts))
                    {
                        byState[state] = counts = Zeros(OccupationShortageRecord.Ratings);
                    }

                    counts[stateRating] = counts.GetValueOrDefault(stateRating) + 1;
                }
            }

            byClassification[group.Key] = new ShortageCounts(
                group.Count(), national, new SortedDictionary<string, IReadOnlyDictionary<string, int>>(byState.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, int>)s.Value), StringComparer.Ordinal));
        }

        return new ShortageStats(_shortages.Count == 0 ? 0 : _shortages.Max(s => s.ListYear), _shortages.Count, byClassification);
    }

    public VacancyStats? Vacancies()
    {
        if (!_ivi)
        {
            return null;
        }

        var bySeries = new SortedDictionary<string, VacancySeriesStats>(StringComparer.Ordinal);
        foreach (var series in _vacancies.GroupBy(v => v.Series, StringComparer.Ordinal))
        {
            var months = series.SelectMany(v => v.Points.Keys).ToList();
            if (months.Count == 0)
            {
                continue;
            }

            var latest = months.Max();
            var yearAgo = latest.AddMonths(-12);
            var byState = new SortedDictionary<string, VacancyChange>(StringComparer.Ordinal);
            foreach (var state in series.GroupBy(v => v.State, StringComparer.Ordinal))
            {
                // A state's total: its level-0 series, else the sum of its coarsest level (each job ad counted once).
                var level = state.Min(v => v.Level);
                var rows = state.Where(v => v.Level == level).ToList();
                var now = Sum(rows, latest);
                var before = Sum(rows, yearAgo);
                var change = now - before;
                byState[state.Key] = new VacancyChange(
                    now, before, change, before is { } b && b != 0 && change is { } d ? Math.Round(d * 100 / b, 1, MidpointRounding.AwayFromZero) : null);
            }

            bySeries[series.Key] = new VacancySeriesStats(Month(latest), Month(yearAgo), byState);
        }

        return new VacancyStats(bySeries);
    }

    public LabourStats? Labour()
    {
        if (!_abs)
        {
            return null;
        }

        var byMeasure = new SortedDictionary<string, IReadOnlyDictionary<string, LabourLatest>>(StringComparer.Ordinal);
        foreach (var measure in _labour.Where(l => l.Latest is not null).GroupBy(l => l.Measure, StringComparer.Ordinal))
        {
            var byState = new SortedDictionary<string, LabourLatest>(StringComparer.Ordinal);
            foreach (var state in measure.GroupBy(l => l.State, StringComparer.Ordinal))
            {
                // Of several series of one measure in one state (adjustments, sexes), the latest period wins, then the first key.
                var (dataflow, seriesKey, _, _, unit, latest) = state
                    .OrderByDescending(l => l.Latest!.Period, StringComparer.Ordinal)
                    .ThenBy(l => l.Dataflow, StringComparer.Ordinal)
                    .ThenBy(l => l.SeriesKey, StringComparer.Ordinal)
                    .First();
                byState[state.Key] = new LabourLatest(latest!.Period, latest.Value, latest.Status, unit, dataflow, seriesKey);
            }

            byMeasure[measure.Key] = byState;
        }

        return new LabourStats(_labour.Count, byMeasure);
    }

    private void ReadRecord(string source, JsonElement r)
    {
        if (r.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("a record must be a JSON object.");
        }

        if (source == IngestSources.Osl && r.TryGetProperty("listYear", out var year))
        {
            var states = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var state in r.GetProperty("states").EnumerateObject())
            {
                states[state.Name] = state.Value.GetString() ?? throw new InvalidOperationException($"the rating of state '{state.Name}' must be a string.");
            }

            _shortages.Add((Text(r, "classification"), year.GetInt32(), Text(r, "national"), states));
        }
        else if (source == IngestSources.Ivi && r.TryGetProperty("points", out var points))
        {
            var values = new Dictionary<DateOnly, decimal>();
            foreach (var point in points.EnumerateArray())
            {
                values[DateOnly.ParseExact(Text(point, "month"), "yyyy-MM-dd", CultureInfo.InvariantCulture)] = point.GetProperty("value").GetDecimal();
            }

            _vacancies.Add((Text(r, "series"), Text(r, "state"), r.GetProperty("level").GetInt32(), values));
        }
        else if (source == IngestSources.Abs && r.TryGetProperty("observations", out var observations))
        {
            LabourObservation? latest = null;
            foreach (var o in observations.EnumerateArray())
            {
                var period = Text(o, "period");
                if (latest is null || string.CompareOrdinal(period, latest.Period) > 0)
                {
                    latest = new LabourObservation(period, o.GetProperty("value").GetDecimal(), o.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null);
                }
            }

            _labour.Add((Text(r, "dataflow"), Text(r, "seriesKey"), Text(r, "measure"), Text(r, "state"), Text(r, "unit"), latest));
        }
        else
        {
            throw new InvalidOperationException($"the record's members name no {source} record kind.");
        }
    }

    private static string Text(JsonElement e, string name) =>
        e.GetProperty(name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new InvalidOperationException($"member '{name}' must be a string.");

    private static decimal? Sum(List<(string Series, string State, int Level, Dictionary<DateOnly, decimal> Points)> rows, DateOnly month)
    {
        decimal? sum = null;
        foreach (var row in rows)
        {
            if (row.Points.TryGetValue(month, out var value))
            {
                sum = (sum ?? 0) + value;
            }
        }

        return sum;
    }

    private static SortedDictionary<string, int> Zeros(IEnumerable<string> keys)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            counts[key] = 0;
        }

        return counts;
    }

    private static string Month(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
