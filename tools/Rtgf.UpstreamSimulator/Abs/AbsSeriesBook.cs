using System.Globalization;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Abs;

/// <summary>
/// The simulated ABS Data API's series: every combination of a flow's codes is a series whose values are a function of the
/// seed, the flow, the series key and the period (so equal seeds serve equal numbers), plus what scripted changes did —
/// periods added after the initial release and corrected (revised) observations. Read and change it under the world's gate.
/// </summary>
internal sealed class AbsSeriesBook
{
    private readonly ulong _seed;
    private readonly Dictionary<string, (decimal Value, string Status)> _corrections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _added = new(StringComparer.Ordinal);
    private readonly HashSet<string> _withdrawn = new(StringComparer.Ordinal);

    public AbsSeriesBook(string corpus, ulong seed, DateTimeOffset clock)
    {
        _seed = seed;
        var national = corpus == "national";
        FirstMonth = national ? new DateOnly(1978, 2, 1) : new DateOnly(2015, 1, 1);
        FirstQuarter = national ? new DateOnly(1981, 4, 1) : new DateOnly(2015, 1, 1);
        var month = new DateOnly(clock.UtcDateTime.Year, clock.UtcDateTime.Month, 1);

        // The Labour Force comes out mid-month for the month before; the population about six months after its quarter.
        LatestMonth = month.AddMonths(-1);
        var lagged = month.AddMonths(-6);
        LatestQuarter = new DateOnly(lagged.Year, ((lagged.Month - 1) / 3 * 3) + 1, 1);
    }

    public DateOnly FirstMonth { get; }

    public DateOnly FirstQuarter { get; }

    public DateOnly LatestMonth { get; }

    public DateOnly LatestQuarter { get; }

    /// <summary>Counts changes, so a test can see that one was applied.</summary>
    public int Revision { get; private set; }

    /// <summary>The start of each period of <paramref name="flow"/>, oldest first, up to the latest release.</summary>
    public IReadOnlyList<DateOnly> Periods(AbsDataflow flow)
    {
        var (first, latest, step) = flow.Frequency == 'M' ? (FirstMonth, LatestMonth, 1) : (FirstQuarter, LatestQuarter, 3);
        var count = (((latest.Year - first.Year) * 12) + latest.Month - first.Month) / step + 1 + _added.GetValueOrDefault(flow.Id);
        var periods = new DateOnly[count];
        for (var i = 0; i < count; i++)
        {
            periods[i] = first.AddMonths(i * step);
        }

        return periods;
    }

    /// <summary>The SDMX period id: <c>2025-04</c> (monthly) or <c>2025-Q2</c> (quarterly).</summary>
    public static string PeriodId(AbsDataflow flow, DateOnly start) => flow.Frequency == 'M'
        ? start.ToString("yyyy-MM", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{start.Year}-Q{((start.Month - 1) / 3) + 1}");

    /// <summary>The observation of one series in one period, and its OBS_STATUS (null unless revised).</summary>
    public (decimal Value, string? Status) Observation(AbsDataflow flow, IReadOnlyList<string> codes, int periodIndex, string periodId)
    {
        var key = string.Join('.', codes);
        if (_corrections.TryGetValue(Correction(flow, key, periodId), out var corrected))
        {
            return corrected;
        }

        return (Generated(flow, codes, key, periodIndex), null);
    }

    /// <summary>Adds the next period to every series of <paramref name="flow"/>; returns its id.</summary>
    public string AddPeriod(AbsDataflow flow)
    {
        _added[flow.Id] = _added.GetValueOrDefault(flow.Id) + 1;
        Revision++;
        return PeriodId(flow, Periods(flow)[^1]);
    }

    /// <summary>Whether a series was withdrawn: the data route leaves it out of every answer, as SDMX leaves out empty combinations.</summary>
    public bool IsWithdrawn(AbsDataflow flow, IReadOnlyList<string> codes) => _withdrawn.Contains(flow.Id + "|" + string.Join('.', codes));

    /// <summary>Withdraws one series (it holds no data any more).</summary>
    public void Withdraw(AbsDataflow flow, string seriesKey)
    {
        Check(flow, seriesKey);
        _withdrawn.Add(flow.Id + "|" + seriesKey);
        Revision++;
    }

    /// <summary>Revises the last <paramref name="count"/> observations of one series (flagged <c>r</c>); returns their periods.</summary>
    public IReadOnlyList<string> Correct(AbsDataflow flow, string seriesKey, int count)
    {
        var codes = Check(flow, seriesKey);
        if (count is < 1 or > 24)
        {
            throw new SimulatorException("periods must be between 1 and 24.");
        }

        var periods = Periods(flow);
        var corrected = new List<string>();
        for (var i = periods.Count - count; i < periods.Count; i++)
        {
            var id = PeriodId(flow, periods[i]);
            var (value, _) = Observation(flow, codes, i, id);
            var revised = flow.Id == AbsDataflow.Population.Id ? value + 137m : value + 0.2m; // visible in any unit
            _corrections[Correction(flow, seriesKey, id)] = (revised, "r");
            corrected.Add(id);
        }

        Revision++;
        return corrected;
    }

    private static string[] Check(AbsDataflow flow, string seriesKey)
    {
        var codes = seriesKey.Split('.');
        if (codes.Length != flow.Dimensions.Count || codes.Where((c, i) => flow.Dimensions[i].Codes.All(k => k.Id != c)).Any())
        {
            throw new SimulatorException($"'{seriesKey}' is not a series key of {flow.Id} ({string.Join('.', flow.Dimensions.Select(d => d.Id))}).");
        }

        return codes;
    }

    private static string Correction(AbsDataflow flow, string key, string periodId) => flow.Id + "|" + key + "|" + periodId;

    private decimal Generated(AbsDataflow flow, IReadOnlyList<string> codes, string key, int t)
    {
        var series = Hash(flow.Id + "|" + key) ^ _seed;
        var level = new SplitMix64(series);
        var noise = new SplitMix64(series ^ ((ulong)(t + 1) * 0x9E3779B97F4A7C15UL));
        var jitter = (decimal)(noise.Next(-100, 101)) / 100m; // -1 … 1
        var wave = (decimal)Math.Sin(t / 17.0);
        var region = AbsDataflow.Regions.ToList().FindIndex(r => r.Id == codes[flow.Dimensions.ToList().FindIndex(d => d.Id == "REGION")]);
        decimal[] shares = [0.31m, 0.26m, 0.20m, 0.07m, 0.11m, 0.02m, 0.01m, 0.02m, 1m];
        var sex = codes[1] switch { "1" => 0.51m, "2" => 0.49m, _ => 1m };
        var trend = 1m + (0.0015m * t);
        return (flow.Id, codes[0]) switch
        {
            ("LF", "M13") => Math.Round(3.5m + (level.Next(0, 30) / 10m) + (0.8m * wave) + (0.2m * jitter), 1),
            ("LF", "M12") => Math.Round(60m + (level.Next(0, 80) / 10m) + wave + (0.3m * jitter), 1),
            ("LF", _) => Math.Round(14_000m * shares[region] * sex * trend * (1m + (0.004m * jitter)), 1),
            _ => Math.Round(26_000_000m * shares[region] * sex * (1m + (0.0035m * t)) * (1m + (0.0005m * jitter)), 0),
        };
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable on every platform (string.GetHashCode is randomised per process).</summary>
    private static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
