using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Jsa;

/// <summary>One year's Occupation Shortage List: every occupation of both sheets (ANZSCO 2022, then OSCA 2024), in sheet order.</summary>
public sealed record OccupationShortageList(int Year, IReadOnlyList<OccupationShortageRecord> Occupations);
