namespace Rtgf.UpstreamSimulator.World;

/// <summary>A CRICOS-registered course; <see cref="VetNationalCode"/> links VET courses to TGA.</summary>
internal sealed record CricosCourse(
    string ProviderCode,
    string CourseCode,
    string Name,
    string VetNationalCode,
    string Level,
    string FieldBroad,
    string FieldNarrow,
    string FieldDetailed,
    int DurationWeeks,
    int TuitionFee,
    int NonTuitionFee,
    bool Expired,
    string LocationName);
