namespace Rtgf.Ingestion.Tga;

/// <summary>A search hit from the training component service (<c>UsageReccomendation</c> is spelt that way upstream).</summary>
public sealed record TrainingComponentSummary(
    string Code, IReadOnlyList<string> ComponentTypes, string? Title, bool IsCurrent, string? UsageRecommendation, DateTimeOffset? UpdatedDate);
