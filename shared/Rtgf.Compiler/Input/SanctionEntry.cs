namespace Rtgf.Compiler.Input;

internal sealed record SanctionEntry(string Reference, string Name, string Type, string[] Aliases, string? ListingInformation);
