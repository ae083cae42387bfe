namespace Rtgf.Compiler.Input;

internal sealed record ReleaseEntry(string ReleaseNumber, string? ReleaseDate, string? Currency);
