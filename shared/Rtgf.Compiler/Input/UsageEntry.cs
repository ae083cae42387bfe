namespace Rtgf.Compiler.Input;

internal sealed record UsageEntry(string State, string? StartDate, string? EndDate);
