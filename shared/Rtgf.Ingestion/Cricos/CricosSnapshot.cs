using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Cricos;

/// <summary>One CRICOS export, normalised; each list is sorted by key.</summary>
public sealed record CricosSnapshot(
    IReadOnlyList<CricosProviderRecord> Providers, IReadOnlyList<CricosCourseRecord> Courses, IReadOnlyList<CricosLocationRecord> Locations);
