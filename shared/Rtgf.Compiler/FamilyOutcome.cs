namespace Rtgf.Compiler;

/// <summary>
/// What a build did with one family: compiled (<see cref="Count"/> tokens, <see cref="Digest"/> over their ids) or skipped
/// because a source it reads had no snapshot (<see cref="Missing"/>).
/// </summary>
public sealed record FamilyOutcome(string Family, IReadOnlyList<string> Sources, IReadOnlyList<string> Missing, int Count, string? Digest)
{
    public bool Skipped => Missing.Count > 0;
}
