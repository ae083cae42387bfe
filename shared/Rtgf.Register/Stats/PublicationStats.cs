namespace Rtgf.Register.Stats;

/// <summary>
/// The statistics of one publication, computed once from its build's snapshots (docs/spec/stats.md): the register's counts
/// (as <see cref="RegisterStats"/>) and, when the build read those sources, the shortage (<c>osl</c>), vacancy (<c>ivi</c>)
/// and labour (<c>abs</c>) aggregates (null when it did not). <see cref="Stored"/>: this is the stored document (true), or
/// one computed on request because the <c>stats-cache</c> worker has not stored it yet (false).
/// </summary>
public sealed record PublicationStats(
    string BuildId,
    string AsOf,
    DateTimeOffset PublishedAt,
    bool Stored,
    IReadOnlyList<SnapshotLink> Inputs,
    RtoStats Rtos,
    ComponentStats Components,
    CricosStats Cricos,
    TeqsaStats Teqsa,
    int SanctionsListings,
    ShortageStats? Shortages,
    VacancyStats? Vacancies,
    LabourStats? Labour);

/// <summary>
/// The Occupation Shortage List: its year (the latest the records name), the occupations on it, and per classification
/// (<c>anzsco-2022</c>, <c>osca-2024</c>) the occupations by national rating and by rating in each state (every rating of the
/// list and every state listed, zero when none).
/// </summary>
public sealed record ShortageStats(int ListYear, int Occupations, IReadOnlyDictionary<string, ShortageCounts> ByClassification);

public sealed record ShortageCounts(
    int Occupations, IReadOnlyDictionary<string, int> ByNationalRating, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByStateRating);

/// <summary>The Internet Vacancy Index per published series (e.g. <c>anzsco4-3mma</c>).</summary>
public sealed record VacancyStats(IReadOnlyDictionary<string, VacancySeriesStats> BySeries);

/// <summary>
/// One series: its latest month (<c>yyyy-MM</c>), the month twelve before, and per state (and <c>AUST</c>) the job ads in
/// both and the change. A state's value is its total series (level 0) or, without one, the sum of its coarsest level.
/// </summary>
public sealed record VacancySeriesStats(string LatestMonth, string YearAgoMonth, IReadOnlyDictionary<string, VacancyChange> ByState);

/// <summary>Job ads in the latest month and twelve months before (null when the series has no such month), the change and the change in per cent (one decimal).</summary>
public sealed record VacancyChange(decimal? Latest, decimal? YearAgo, decimal? Change, decimal? ChangePercent);

/// <summary>ABS series: the latest observation per measure, per state (<c>AUS</c> for the nation).</summary>
public sealed record LabourStats(int Series, IReadOnlyDictionary<string, IReadOnlyDictionary<string, LabourLatest>> ByMeasure);

/// <summary>The latest observation of a measure in a state, and the series it is from (of several, the one with the latest period, then the first key).</summary>
public sealed record LabourLatest(string Period, decimal Value, string? Status, string Unit, string Dataflow, string SeriesKey);

/// <summary>One publication in the statistics history: when, which build, and its headline counts.</summary>
public sealed record StatsHistoryEntry(
    string BuildId,
    DateTimeOffset PublishedAt,
    string AsOf,
    int Rtos,
    int ScopeRows,
    int CurrentScopeRows,
    int Components,
    int CricosCourses,
    int TeqsaProviders,
    int SanctionsListings,
    int? ShortageOccupations,
    int? ShortageListYear,
    string? VacancyMonth,
    decimal? Vacancies)
{
    /// <summary>The headline of <paramref name="stats"/>; the vacancies are the <c>AUST</c> total of the first series (ordinal).</summary>
    public static StatsHistoryEntry Of(PublicationStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var vacancies = stats.Vacancies?.BySeries.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value).FirstOrDefault();
        return new StatsHistoryEntry(
            stats.BuildId, stats.PublishedAt, stats.AsOf, stats.Rtos.Total, stats.Rtos.ScopeRows, stats.Rtos.CurrentScopeRows, stats.Components.Total,
            stats.Cricos.Courses, stats.Teqsa.Providers, stats.SanctionsListings, stats.Shortages?.Occupations, stats.Shortages?.ListYear,
            vacancies?.LatestMonth, vacancies?.ByState.GetValueOrDefault(LabourMarket.Australia)?.Latest);
    }
}

/// <summary>A page of the statistics history, newest first; <see cref="NextCursor"/> continues it.</summary>
public sealed record StatsHistoryPage(IReadOnlyList<StatsHistoryEntry> Items, string? NextCursor, string? Next);
