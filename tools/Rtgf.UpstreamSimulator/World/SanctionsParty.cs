namespace Rtgf.UpstreamSimulator.World;

/// <summary>
/// A listed individual or entity on DFAT's consolidated list. The XLSX has one row per name: the primary name with
/// reference <c>{Reference}</c>, aliases <c>{Reference}a</c>, <c>{Reference}b</c>, … repeating the other fields.
/// </summary>
internal sealed record SanctionsParty(
    int Reference,
    string Name,
    string Type,
    IReadOnlyList<string> Aliases,
    string DateOfBirth,
    string PlaceOfBirth,
    string Citizenship,
    string Address,
    string AdditionalInformation,
    string ListingInformation,
    string Committees,
    DateOnly ControlDate,
    string Instrument,
    bool TargetedFinancialSanction,
    bool TravelBan);
