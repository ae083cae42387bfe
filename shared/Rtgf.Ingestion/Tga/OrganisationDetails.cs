using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Tga;

/// <summary>An organisation's details split into snapshot records: the RTO itself and its scope rows (sorted by component code).</summary>
public sealed record OrganisationDetails(RtoRecord Rto, IReadOnlyList<ScopeRecord> Scopes);
