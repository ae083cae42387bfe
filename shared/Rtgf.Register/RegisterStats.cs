namespace Rtgf.Register;

/// <summary>
/// Counts over one generation of the register, computed once when it is built (never per request). Maps are keyed by the
/// value as the source gives it, <c>unknown</c> for a missing one, in ordinal order.
/// </summary>
public sealed record RegisterStats(
    string BuildId,
    string AsOf,
    RtoStats Rtos,
    ComponentStats Components,
    CricosStats Cricos,
    TeqsaStats Teqsa,
    int SanctionsListings)
{
    /// <summary>
    /// The counts, in one place for the register's generations and the stored statistics of a publication
    /// (<see cref="Stats.PublicationStatsCalculator"/>), so both count the same way.
    /// </summary>
    internal static RegisterStats Count(
        string buildId,
        string asOf,
        IReadOnlyCollection<Rto> rtos,
        IReadOnlyCollection<ScopeRow> scope,
        Func<ScopeRow, bool> current,
        IReadOnlyCollection<Component> components,
        int cricosProviders,
        IReadOnlyCollection<CricosCourse> courses,
        int cricosLocations,
        IReadOnlyCollection<TeqsaProvider> teqsaProviders,
        int sanctionsListings) => new(
            buildId,
            asOf,
            new RtoStats(
                rtos.Count,
                Counts.By(rtos, r => [r.Status]),
                Counts.By(rtos, r => r.States),
                Counts.By(rtos, r => [r.RegistrationManager]),
                scope.Count,
                scope.Count(current)),
            new ComponentStats(components.Count, Counts.By(components, c => c.ComponentTypes), Counts.By(components, c => [c.Status])),
            new CricosStats(cricosProviders, courses.Count, courses.Count(c => c.Expired), cricosLocations),
            new TeqsaStats(teqsaProviders.Count, teqsaProviders.Sum(p => p.Courses.Count)),
            sanctionsListings);

    /// <summary>Whether a scope row is current on <paramref name="asOf"/> (<c>yyyy-MM-dd</c>): not refused, started, not ended.</summary>
    internal static bool IsCurrent(ScopeRow row, string asOf) =>
        !row.IsRefused && (row.EndDate is null || string.CompareOrdinal(row.EndDate, asOf) >= 0)
        && (row.StartDate is null || string.CompareOrdinal(row.StartDate, asOf) <= 0);

    /// <summary>The day a generation is "as of": when its TGA snapshot was fetched (UTC).</summary>
    internal static string AsOfDay(DateTimeOffset fetchedAt) => fetchedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record RtoStats(
    int Total, IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> ByState, IReadOnlyDictionary<string, int> ByRegistrationManager,
    int ScopeRows, int CurrentScopeRows);

/// <summary>Components by status, and by type (a component of several types counts once under each).</summary>
public sealed record ComponentStats(int Total, IReadOnlyDictionary<string, int> ByType, IReadOnlyDictionary<string, int> ByStatus);

public sealed record CricosStats(int Providers, int Courses, int ExpiredCourses, int Locations);

public sealed record TeqsaStats(int Providers, int Courses);

internal static class Counts
{
    public const string Unknown = "unknown";

    public static SortedDictionary<string, int> By<T>(IEnumerable<T> items, Func<T, IEnumerable<string?>> keys)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            foreach (var key in keys(item).DefaultIfEmpty(null))
            {
                var name = string.IsNullOrEmpty(key) ? Unknown : key;
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }
        }

        return counts;
    }
}
