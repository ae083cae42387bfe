namespace Rtgf.UpstreamSimulator.World;

/// <summary>A qualification, unit, skill set or accredited course on the national register.</summary>
internal sealed class TrainingComponent
{
    public required string Code { get; init; }

    public required string Title { get; init; }

    public required ComponentKind Kind { get; init; }

    /// <summary>Training package code (the first three letters of the code); also the data manager stand-in.</summary>
    public required string PackageCode { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset Updated { get; set; }

    public required UsageState Usage { get; set; }

    /// <summary>Date the current usage recommendation started (release date, or the date it was superseded/deleted).</summary>
    public required DateOnly UsageSince { get; set; }

    public required int ReleaseCount { get; set; }

    public required DateOnly LatestReleaseDate { get; set; }

    /// <summary>AQF level code (QualLevel scheme) for qualifications, otherwise null.</summary>
    public string? QualificationLevel { get; init; }

    /// <summary>The ANZSCO occupation a qualification leads to (TGA classification scheme <c>01</c>), otherwise null.</summary>
    public string? Anzsco { get; set; }

    public string? SupersededBy { get; set; }

    public string? Supersedes { get; set; }

    public bool IsEquivalent { get; set; }

    public DateTimeOffset? Deleted { get; set; }
}
