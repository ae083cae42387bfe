namespace Rtgf.Ingestion.Tga;

/// <summary>One entry of a TGA <c>ValidationFault</c>.</summary>
public sealed record TgaValidationError(string? Code, string? Message, string? Severity, string? SubCode, string? ValidationTarget, string? Context);
