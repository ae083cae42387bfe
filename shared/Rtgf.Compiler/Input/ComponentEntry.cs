namespace Rtgf.Compiler.Input;

/// <summary>A <c>component:</c> record (the release unit grids are read and dropped: tokens do not carry them).</summary>
internal sealed record ComponentEntry(
    string Code, string[] ComponentTypes, string Title, string Status, string? Currency, ReleaseEntry[] Releases, string[] Supersedes,
    string[] SupersededBy, UsageEntry[] UsageRecommendations, string? ParentCode);
