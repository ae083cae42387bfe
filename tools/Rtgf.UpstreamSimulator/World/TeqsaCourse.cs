namespace Rtgf.UpstreamSimulator.World;

/// <summary>A TEQSA-accredited course of a provider without self-accrediting authority.</summary>
internal sealed record TeqsaCourse(string CourseId, string Title, string Status, DateOnly RenewalDate);
