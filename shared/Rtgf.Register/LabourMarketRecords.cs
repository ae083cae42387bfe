namespace Rtgf.Register;

/// <summary>An Occupation Shortage List entry as the <c>osl</c> snapshot gives it, before links are added.</summary>
internal sealed record ShortageEntry(
    string Classification, string Code, string Title, int ListYear, string National, IReadOnlyDictionary<string, string> States, int? SkillLevel, SnapshotLink Snapshot);

/// <summary>
/// An occupation in a list: its Occupation Shortage List ratings (national and by state: <c>S</c> shortage, <c>R</c>
/// regional, <c>M</c> metropolitan, <c>NS</c> none), how many training components lead to it, and the
/// <c>occupation-shortage</c> token that asserts the ratings.
/// </summary>
public sealed record OccupationSummary(
    string Classification,
    string Code,
    string Title,
    int ListYear,
    string National,
    IReadOnlyDictionary<string, string> States,
    int? SkillLevel,
    int QualificationCount,
    TokenLink? Token,
    string? Proof);

/// <summary>
/// One occupation: its ratings, its ANZSCO unit group's vacancy trend in Australia and each state (ANZSCO occupations
/// only: the vacancy index counts by ANZSCO), and how many training components lead to it.
/// </summary>
public sealed record Occupation(
    string Classification,
    string Code,
    string Title,
    int ListYear,
    string National,
    IReadOnlyDictionary<string, string> States,
    int? SkillLevel,
    string? UnitGroup,
    IReadOnlyList<VacancyTrend> Vacancies,
    int QualificationCount,
    TokenLink? Token,
    string? Proof,
    SnapshotLink Snapshot);

/// <summary>
/// A vacancy series in brief: the latest month's count, the count twelve months earlier and the change (null when the
/// series has no month a year before its latest).
/// </summary>
public sealed record VacancyTrend(
    string State, string Series, string Code, string LatestMonth, decimal Latest, string? YearEarlierMonth, decimal? YearEarlier, decimal? Change, SnapshotLink Snapshot);

/// <summary>One month of a vacancy series (<see cref="Month"/>: the first day of the reference month, yyyy-MM-dd).</summary>
public sealed record VacancyMonth(string Month, decimal Value);

/// <summary>An Internet Vacancy Index series: one ANZSCO group (<see cref="Level"/> digits) in one state or <c>AUST</c>. No token asserts it.</summary>
public sealed record VacancySeries(
    string Series, string State, string Code, string Title, int Level, IReadOnlyList<VacancyMonth> Points, TokenLink? Token, string? Proof, SnapshotLink Snapshot);

/// <summary>An ABS Data API series in a list: <see cref="DataflowCode"/> is its dataflow as the route takes it (<c>ABS.LF.1.0.0</c>).</summary>
public sealed record LabourSeriesSummary(
    string Dataflow, string DataflowCode, string SeriesKey, string Measure, string State, string Unit, int ObservationCount, string? LatestPeriod, decimal? LatestValue,
    SnapshotLink Snapshot);

/// <summary>An ABS Data API series with its observations by SDMX period. No token asserts it.</summary>
public sealed record LabourSeries(
    string Dataflow, string DataflowCode, string SeriesKey, string Measure, string State, string Unit, IReadOnlyList<LabourSeriesObservation> Observations,
    TokenLink? Token, string? Proof, SnapshotLink Snapshot);

public sealed record LabourSeriesObservation(string Period, decimal Value, string? Status);
