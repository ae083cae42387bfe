using Rtgf.Pipeline.Registry;

namespace Rtgf.Pipeline.Publishing;

/// <summary>A family's summary and the plan that last changed it (so a retried publication applies its counts once).</summary>
internal sealed record FamilyRow(FamilySummary Summary, string LastPlanKey);
