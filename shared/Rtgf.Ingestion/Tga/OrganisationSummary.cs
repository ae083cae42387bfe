namespace Rtgf.Ingestion.Tga;

/// <summary>A search hit from the organisation service.</summary>
public sealed record OrganisationSummary(
    string Code, string? LegalPersonName, string? TradingName, bool HasActiveRegistration, string? RegistrationStatus, DateTimeOffset? UpdatedDate);
