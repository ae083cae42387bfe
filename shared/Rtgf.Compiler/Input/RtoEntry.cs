namespace Rtgf.Compiler.Input;

/// <summary>An <c>rto:</c> record as the compiler reads it (dates stay in their checked ISO text form).</summary>
internal sealed record RtoEntry(
    string Code, string? LegalName, string? Abn, string[] TradingNames, string? Status, string? RegistrationManager, string? RegistrationStart, string? RegistrationEnd);
