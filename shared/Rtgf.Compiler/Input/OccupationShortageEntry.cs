namespace Rtgf.Compiler.Input;

/// <summary>
/// An <c>occupation-shortage:</c> record: one occupation's ratings on the Occupation Shortage List of <see cref="ListYear"/>.
/// <see cref="States"/> holds a rating or null for every state and territory, ordered by state code (ordinal).
/// </summary>
internal sealed record OccupationShortageEntry(
    string Classification, string Code, string Title, int ListYear, string National, (string State, string? Rating)[] States, int? SkillLevel);
