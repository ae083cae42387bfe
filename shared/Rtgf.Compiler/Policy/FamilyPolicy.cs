namespace Rtgf.Compiler.Policy;

/// <summary>
/// One token family in the matrix: the sources that feed it (the first is the primary: its digest is the token's
/// <c>snap</c>), the subject rule, the validity period (<c>exp - nbf</c>) and family-specific limits.
/// </summary>
public sealed record FamilyPolicy(
    string Name,
    IReadOnlyList<string> Sources,
    SubjectTemplate Subject,
    int ValidityDays,
    int? MaxScopeItems,
    ScreeningPolicy? Screening)
{
    /// <summary>The validity period in seconds (whole days: tokens never depend on a time zone).</summary>
    public long ValiditySeconds => ValidityDays * 86_400L;
}
