namespace Rtgf.UpstreamSimulator.World;

/// <summary>How many of each thing a generated world holds.</summary>
internal sealed record WorldSizes(
    int Rtos,
    int DeletedRtos,
    int Qualifications,
    int SkillSets,
    int Units,
    int AccreditedCourses,
    int SupersededEvery,
    int DeletedComponents,
    int ScopeRows,
    int CricosProviders,
    int TeqsaProviders,
    int SanctionsParties)
{
    /// <summary>The fixed sample the tests use: a few dozen RTOs and components, a handful of everything else.</summary>
    public static WorldSizes Small { get; } = new(30, 2, 8, 4, 28, 2, 5, 2, 150, 5, 4, 6);

    /// <summary>National scale: about 4,000 RTOs, 25,000 current components and 500,000 scope rows.</summary>
    public static WorldSizes National { get; } = new(4_000, 25, 1_500, 1_200, 22_000, 300, 10, 40, 500_000, 1_200, 200, 1_500) { Occupations = 916 };

    /// <summary>ANZSCO occupations on the shortage list (the 2025 list rates about 916).</summary>
    public int Occupations { get; init; } = 40;

    public int CurrentComponents => Qualifications + SkillSets + Units + AccreditedCourses;
}
