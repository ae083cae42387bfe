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
    int SanctionsListings);

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
