namespace Rtgf.UpstreamSimulator.World;

/// <summary>An institution registered on CRICOS to teach overseas students.</summary>
internal sealed record CricosProvider(
    string Code,
    string TradingName,
    string InstitutionName,
    string InstitutionType,
    int Capacity,
    string Website,
    Address PostalAddress);
