namespace Rtgf.Compiler.Input;

internal sealed record CricosProviderEntry(string ProviderCode, string InstitutionName, string? TradingName);
