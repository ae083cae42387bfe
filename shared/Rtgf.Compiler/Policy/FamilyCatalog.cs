namespace Rtgf.Compiler.Policy;

/// <summary>
/// The families this compiler knows how to build, the subject placeholders each defines and the record kinds each
/// needs from its sources. The matrix configures these; it cannot invent new ones.
/// </summary>
internal static class FamilyCatalog
{
    public const string CricosCourse = "cricos-course";
    public const string OccupationShortage = "occupation-shortage";
    public const string RtoRegistration = "rto-registration";
    public const string RtoScope = "rto-scope";
    public const string SanctionsScreen = "sanctions-screen";
    public const string TrainingComponent = "training-component";

    /// <summary>Record kinds (snapshot key prefixes) a compilerInputVersion 1 snapshot may hold.</summary>
    public static IReadOnlyList<string> RecordKinds { get; } =
        [
            "component", "cricos-course", "cricos-location", "cricos-provider", "labour-series", "occupation-shortage", "rto", "sanction", "scope",
            "teqsa-provider", "tombstone", "vacancy-series",
        ];

    public static IReadOnlyList<string> Names { get; } = [CricosCourse, OccupationShortage, RtoRegistration, RtoScope, SanctionsScreen, TrainingComponent];

    public static IReadOnlyList<string> Placeholders(string family) => family switch
    {
        CricosCourse => ["provider", "course"],
        OccupationShortage => ["classification", "code"],
        RtoScope => ["code", "part"],
        _ => ["code"],
    };

    public static IReadOnlyList<string> NeededRecords(string family) => family switch
    {
        CricosCourse => ["cricos-course"],
        OccupationShortage => ["occupation-shortage"],
        RtoRegistration or RtoScope => ["rto", "scope"],
        SanctionsScreen => ["rto", "sanction"],
        TrainingComponent => ["component"],
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown family."),
    };
}
