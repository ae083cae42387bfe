namespace Rtgf.Compiler.Input;

/// <summary>A <c>scope:</c> row: one component on one organisation's scope, with extent and period.</summary>
internal sealed record ScopeEntry(string OrganisationCode, string ComponentCode, string? Extent, bool IsImplicit, bool IsRefused, string? StartDate, string? EndDate);
