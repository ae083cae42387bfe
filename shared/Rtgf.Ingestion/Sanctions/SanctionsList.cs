using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Sanctions;

/// <summary>The whole consolidated list, sorted by numeric reference. It replaces the previous list entirely (no deltas upstream).</summary>
public sealed record SanctionsList(IReadOnlyList<SanctionsListingRecord> Listings);
