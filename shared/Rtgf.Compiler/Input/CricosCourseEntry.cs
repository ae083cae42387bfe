namespace Rtgf.Compiler.Input;

internal sealed record CricosCourseEntry(
    string ProviderCode, string CourseCode, string CourseName, string? VetNationalCode, string? CourseLevel, long? DurationWeeks,
    string? TuitionFee, string? NonTuitionFee, string? EstimatedTotalCost, bool Expired, string[] Locations);
