using System.Globalization;
using Rtgf.Ingestion.Records;

namespace Rtgf.Register;

/// <summary>
/// The labour-market part of a generation, linked once when it is built: Occupation Shortage List occupations (by
/// classification and code) with their <c>occupation-shortage</c> tokens, the vacancy series of each ANZSCO unit group,
/// the ABS series, and the links between training components and ANZSCO occupations (a component's TGA classification of
/// scheme <c>01</c>). A source the build did not read is simply empty.
/// </summary>
public sealed class LabourMarket
{
    /// <summary>The state filter value that means the national rating.</summary>
    public const string National = "national";

    /// <summary>The vacancy index's whole-of-Australia series (the ABS says <c>AUS</c> for the same).</summary>
    public const string Australia = "AUST";

    /// <summary>The ratings that are a shortage (shortage, regional, metropolitan).</summary>
    public static IReadOnlyList<string> ShortageRatings { get; } = ["S", "R", "M"];

    /// <summary>The list's ratings (<see cref="OccupationShortageRecord.Ratings"/>) in the order answers name them, shortage first.</summary>
    public static IReadOnlyList<string> Ratings { get; } = ["S", "R", "M", "NS"];

    /// <summary>The state and territory codes, in the list's order.</summary>
    public static IReadOnlyList<string> States => OccupationShortageRecord.StateCodes;

    /// <summary>The classifications the list is published in.</summary>
    public static IReadOnlyList<string> Classifications { get; } = [Anzsco, Osca];

    private const string Anzsco = OccupationShortageRecord.AnzscoClassification;
    private const string Osca = OccupationShortageRecord.OscaClassification;

    private static readonly IReadOnlyList<OccupationSummary> None = [];
    private readonly Dictionary<string, Occupation> _occupations;
    private readonly Dictionary<string, IReadOnlyList<OccupationSummary>> _summaries;
    private readonly Dictionary<string, VacancySeries> _unitGroupSeries;
    private readonly Dictionary<string, ComponentSummary[]> _componentsByOccupation;
    private readonly Dictionary<string, Occupation[]> _occupationsByComponent;
    private readonly Dictionary<string, HashSet<string>> _shortageComponents;
    private readonly Dictionary<string, LabourSeries> _labourByRoute;

    internal LabourMarket(
        IEnumerable<ShortageEntry> shortages,
        Func<ShortageEntry, (TokenLink? Link, string? Proof)> tokenOf,
        IEnumerable<VacancySeries> vacancies,
        IEnumerable<LabourSeries> labourSeries,
        IReadOnlyDictionary<string, string[]> componentAnzsco,
        IReadOnlyList<ComponentSummary> components)
    {
        // A unit group's series by state: the 4-digit level; should the index publish several such series, the first by name.
        _unitGroupSeries = vacancies
            .Where(v => v.Level == 4)
            .GroupBy(v => Key(v.Code, v.State))
            .ToDictionary(g => g.Key, g => g.OrderBy(v => v.Series, StringComparer.Ordinal).First(), StringComparer.Ordinal);

        // Component ↔ occupation: TGA's ANZSCO values are 6-digit occupation codes (digits only, whatever the punctuation).
        var summaryByCode = components.ToDictionary(c => c.Code, StringComparer.Ordinal);
        var linked = componentAnzsco
            .Where(pair => summaryByCode.ContainsKey(pair.Key))
            .SelectMany(pair => pair.Value.Select(OccupationCode).OfType<string>().Distinct(StringComparer.Ordinal).Select(code => (Component: pair.Key, Occupation: code)))
            .ToList();
        _componentsByOccupation = linked
            .GroupBy(l => l.Occupation, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => summaryByCode[l.Component]).OrderBy(c => c.Code, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

        _occupations = new Dictionary<string, Occupation>(StringComparer.Ordinal);
        foreach (var entry in shortages)
        {
            var (link, proof) = tokenOf(entry);
            var isAnzsco = entry.Classification == Anzsco;
            var unitGroup = isAnzsco && entry.Code.Length >= 4 ? entry.Code[..4] : null;
            var qualifications = isAnzsco ? _componentsByOccupation.GetValueOrDefault(entry.Code)?.Length ?? 0 : 0;
            _occupations[Key(entry.Code, entry.Classification)] = new Occupation(
                entry.Classification, entry.Code, entry.Title, entry.ListYear, entry.National, entry.States, entry.SkillLevel, unitGroup,
                unitGroup is null ? [] : Trends(unitGroup), qualifications, link, proof, entry.Snapshot);
        }

        _summaries = _occupations.Values
            .GroupBy(o => o.Classification, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<OccupationSummary>)[.. g.OrderBy(o => o.Code, StringComparer.Ordinal).Select(Summary)],
                StringComparer.Ordinal);

        // Only ANZSCO occupations are linked: TGA classifies by ANZSCO, and OSCA codes are not derived from ANZSCO codes.
        _occupationsByComponent = linked
            .Where(l => _occupations.ContainsKey(Key(l.Occupation, Anzsco)))
            .GroupBy(l => l.Component, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => _occupations[Key(l.Occupation, Anzsco)]).OrderBy(o => o.Code, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

        _shortageComponents = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var scope in States.Append(National))
        {
            _shortageComponents[scope] = [.. _occupationsByComponent
                .Where(pair => pair.Value.Any(o => IsShortage(Rating(o, scope))))
                .Select(pair => pair.Key)];
        }

        LabourSeries = [.. labourSeries.OrderBy(s => s.DataflowCode, StringComparer.Ordinal).ThenBy(s => s.SeriesKey, StringComparer.Ordinal)];
        LabourSeriesSummaries = [.. LabourSeries.Select(s => new LabourSeriesSummary(
            s.Dataflow, s.DataflowCode, s.SeriesKey, s.Measure, s.State, s.Unit, s.Observations.Count,
            s.Observations.Count > 0 ? s.Observations[^1].Period : null, s.Observations.Count > 0 ? s.Observations[^1].Value : null, s.Snapshot))];
        _labourByRoute = LabourSeries
            .GroupBy(s => s.DataflowCode + "/" + s.SeriesKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>Every ABS series, ordered by dataflow code then series key.</summary>
    public IReadOnlyList<LabourSeries> LabourSeries { get; }

    public IReadOnlyList<LabourSeriesSummary> LabourSeriesSummaries { get; }

    /// <summary>
    /// A dataflow id as a route segment: SDMX writes <c>ABS,LF,1.0.0</c> (agency, id, version); routes take
    /// <c>ABS.LF.1.0.0</c>, since a route code is letters, digits, '.', '_' and '-'.
    /// </summary>
    public static string DataflowCode(string dataflow)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        return dataflow.Replace(',', '.');
    }

    /// <summary>Whether a rating is a shortage of any kind (<c>S</c>, <c>R</c> or <c>M</c>).</summary>
    public static bool IsShortage(string? rating) => rating is not null && ShortageRatings.Contains(rating, StringComparer.OrdinalIgnoreCase);

    public Occupation? GetOccupation(string classification, string code) => _occupations.GetValueOrDefault(Key(code, classification));

    /// <summary>
    /// Occupations of a classification, ordered by code: rated <paramref name="rating"/> (a rating, or <c>shortage</c> for
    /// any of S, R, M) in <paramref name="state"/> (null: nationally), of a skill level.
    /// </summary>
    public IReadOnlyList<OccupationSummary> FindOccupations(string classification, string? state, string? rating, int? skillLevel)
    {
        var all = _summaries.GetValueOrDefault(classification) ?? None;
        if (rating is null && skillLevel is null)
        {
            return all;
        }

        return [.. all.Where(o =>
            (skillLevel is null || o.SkillLevel == skillLevel)
            && (rating is null || Matches(state is null ? o.National : o.States.GetValueOrDefault(state.ToUpperInvariant()), rating)))];
    }

    /// <summary>The vacancy series of an occupation's unit group in a state (or <c>AUST</c>), or null.</summary>
    public VacancySeries? GetVacancies(Occupation occupation, string state)
    {
        ArgumentNullException.ThrowIfNull(occupation);
        return occupation.UnitGroup is { } group ? _unitGroupSeries.GetValueOrDefault(Key(group, state.ToUpperInvariant())) : null;
    }

    /// <summary>The components that lead to an ANZSCO occupation, ordered by code.</summary>
    public IReadOnlyList<ComponentSummary> GetQualifications(Occupation occupation)
    {
        ArgumentNullException.ThrowIfNull(occupation);
        return occupation.Classification == Anzsco ? _componentsByOccupation.GetValueOrDefault(occupation.Code) ?? [] : [];
    }

    /// <summary>The listed ANZSCO occupations a component leads to, ordered by code.</summary>
    public IReadOnlyList<Occupation> GetOccupations(string componentCode) => _occupationsByComponent.GetValueOrDefault(componentCode) ?? [];

    /// <summary>Whether a component leads to an occupation in shortage (S, R or M) in a state, or nationally for <see cref="National"/>.</summary>
    public bool LeadsToShortage(string componentCode, string scope) =>
        _shortageComponents.TryGetValue(scope, out var codes) && codes.Contains(componentCode);

    public LabourSeries? GetLabourSeries(string dataflowCode, string seriesKey) => _labourByRoute.GetValueOrDefault(dataflowCode + "/" + seriesKey);

    private static OccupationSummary Summary(Occupation o) =>
        new(o.Classification, o.Code, o.Title, o.ListYear, o.National, o.States, o.SkillLevel, o.QualificationCount, o.Token, o.Proof);

    private static string? Rating(Occupation o, string scope) =>
        string.Equals(scope, National, StringComparison.OrdinalIgnoreCase) ? o.National : o.States.GetValueOrDefault(scope);

    private static bool Matches(string? rating, string wanted) =>
        rating is not null && (string.Equals(wanted, "shortage", StringComparison.OrdinalIgnoreCase) ? IsShortage(rating) : string.Equals(rating, wanted, StringComparison.OrdinalIgnoreCase));

    /// <summary>A TGA ANZSCO value as a 6-digit occupation code, or null (a unit group or another level links no occupation).</summary>
    private static string? OccupationCode(string value)
    {
        var digits = new string([.. value.Where(char.IsAsciiDigit)]);
        return digits.Length == 6 ? digits : null;
    }

    /// <summary>The unit group's trend in Australia, then each state in the list's order.</summary>
    private List<VacancyTrend> Trends(string unitGroup) =>
        [.. new[] { Australia }.Concat(States)
            .Select(state => _unitGroupSeries.GetValueOrDefault(Key(unitGroup, state)))
            .OfType<VacancySeries>()
            .Where(s => s.Points.Count > 0)
            .Select(Trend)];

    private static VacancyTrend Trend(VacancySeries series)
    {
        var latest = series.Points[^1];
        var yearEarlier = DateOnly.TryParseExact(latest.Month, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            ? series.Points.FirstOrDefault(p => p.Month == month.AddMonths(-12).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            : null;
        return new VacancyTrend(
            series.State, series.Series, series.Code, latest.Month, latest.Value, yearEarlier?.Month, yearEarlier?.Value, latest.Value - yearEarlier?.Value, series.Snapshot);
    }

    private static string Key(string code, string qualifier) => code + "\u001f" + qualifier;
}
