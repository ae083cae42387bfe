using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Rtgf.Core.Telemetry;

namespace Rtgf.Functions.Telemetry;

/// <summary>One series of an instrument: its tags and what was recorded since the instance started.</summary>
public sealed record MetricSeries(IReadOnlyDictionary<string, string> Tags, long Count, double Sum, double? Min, double? Max, double? Last);

/// <summary>One instrument as <c>GET /ops/metrics</c> shows it.</summary>
public sealed record MetricInstrument(string Name, string Meter, string Kind, string? Unit, string? Description, IReadOnlyList<MetricSeries> Series);

/// <summary><c>GET /ops/metrics</c>: this instance's instruments since it started.</summary>
public sealed record MetricsDocument(DateTimeOffset Now, IReadOnlyList<MetricInstrument> Instruments);

/// <summary>
/// The app's own meters aggregated in memory (a <see cref="MeterListener"/>, independent of the exporters), so a developer
/// sees the metrics locally without Azure or an OTLP collector (docs/spec/telemetry.md#local). Per instance, since start:
/// counters and histograms as count/sum/min/max, gauges as the last value. Series per instrument are capped, so a tag with
/// unbounded values cannot grow the process without limit.
/// </summary>
public sealed class MetricsSnapshot : IDisposable
{
    /// <summary>The meters shown: the app's own and the pipeline's and outbound client's (which predate <see cref="RtgfTelemetry.Meter"/>).</summary>
    public static readonly IReadOnlyList<string> Meters = [RtgfTelemetry.Name, "Rtgf.Pipeline", "Rtgf.Outbound"];

    private const int MaxSeriesPerInstrument = 500;

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, Series>> _instruments = new();

    public MetricsSnapshot()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Meters.Contains(instrument.Meter.Name, StringComparer.Ordinal))
            {
                _instruments.TryAdd(instrument, new ConcurrentDictionary<string, Series>(StringComparer.Ordinal));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        _listener.Start();
    }

    internal MetricsDocument Read(DateTimeOffset now)
    {
        _listener.RecordObservableInstruments();
        var instruments = _instruments
            .Select(pair => new MetricInstrument(
                pair.Key.Name,
                pair.Key.Meter.Name,
                KindOf(pair.Key),
                pair.Key.Unit,
                pair.Key.Description,
                [.. pair.Value.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value.Read())]))
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .ThenBy(i => i.Meter, StringComparer.Ordinal)
            .ToList();
        return new MetricsDocument(now, instruments);
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_instruments.TryGetValue(instrument, out var series))
        {
            return;
        }

        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            pairs[tag.Key] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        var key = string.Join('\u001f', pairs.Select(p => p.Key + "=" + p.Value));
        if (!series.TryGetValue(key, out var one))
        {
            if (series.Count >= MaxSeriesPerInstrument)
            {
                return;
            }

            one = series.GetOrAdd(key, _ => new Series(pairs, IsGauge(instrument)));
        }

        one.Add(value);
    }

    private static bool IsGauge(Instrument instrument) =>
        instrument.GetType().Name.StartsWith("Gauge", StringComparison.Ordinal) ||
        instrument.GetType().Name.StartsWith("ObservableGauge", StringComparison.Ordinal);

    private static string KindOf(Instrument instrument)
    {
        var name = instrument.GetType().Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return (tick < 0 ? name : name[..tick]).ToLowerInvariant();
    }

    private sealed class Series(IReadOnlyDictionary<string, string> tags, bool gauge)
    {
        private readonly Lock _gate = new();
        private long _count;
        private double _sum;
        private double _min = double.PositiveInfinity;
        private double _max = double.NegativeInfinity;
        private double _last;

        public void Add(double value)
        {
            lock (_gate)
            {
                _count++;
                _sum += value;
                _min = Math.Min(_min, value);
                _max = Math.Max(_max, value);
                _last = value;
            }
        }

        public MetricSeries Read()
        {
            lock (_gate)
            {
                return new MetricSeries(
                    tags, _count, _sum, _count == 0 ? null : _min, _count == 0 ? null : _max, gauge ? _last : null);
            }
        }
    }
}
