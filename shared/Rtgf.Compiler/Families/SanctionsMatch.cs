namespace Rtgf.Compiler.Families;

/// <summary>One hit: which RTO value (<see cref="Field"/> <c>abn</c> or <c>name</c>, normalised) equalled which listing's name or text.</summary>
internal sealed record SanctionsMatch(string Field, string Listed, string Reference, string Screened);
