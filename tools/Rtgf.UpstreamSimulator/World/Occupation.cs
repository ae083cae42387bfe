namespace Rtgf.UpstreamSimulator.World;

/// <summary>
/// An ANZSCO 2022 occupation (6 digits; its unit group is the first 4) with its ratings on the current Occupation
/// Shortage List: national and per state (<c>S</c>, <c>R</c>, <c>M</c>, <c>NS</c>). Codes and titles are synthetic.
/// </summary>
internal sealed class Occupation
{
    public required string Code { get; init; }

    public required string Title { get; init; }

    /// <summary>ANZSCO skill level, 1 (bachelor or higher) to 5.</summary>
    public required int SkillLevel { get; init; }

    public string UnitGroup => Code[..4];

    public string MajorGroup => Code[..1];

    public required string National { get; set; }

    /// <summary>Rating by state code (<c>NSW</c> … <c>ACT</c>), in the list's column order.</summary>
    public required Dictionary<string, string> States { get; init; }
}
