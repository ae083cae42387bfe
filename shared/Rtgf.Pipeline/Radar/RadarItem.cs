using System.Globalization;
using System.Text;
using Rtgf.Core.Encoding;

namespace Rtgf.Pipeline.Radar;

/// <summary>
/// One radar item: an upstream change as one RTO (or, in <see cref="Broadcast"/>, every RTO) sees it (docs/spec/radar.md).
/// <see cref="Id"/> is the hash of kind, partition, subject, the change's content and the plan's sequence, so the same
/// change derived again (a resumed or concurrent plan) is the same item, and the same change seen again in a later plan
/// (a scope row added, removed and added again) is a new one; <see cref="Sequence"/> is the crawl plan that raised it and
/// <see cref="ObservedAt"/> that plan's time, so a resumed plan writes identical rows. The row key orders a feed by plan, then id.
/// </summary>
public sealed record RadarItem(
    string Id,
    string Kind,
    string Rto,
    string Subject,
    string Title,
    string Detail,
    string Source,
    string SnapshotDigest,
    long Sequence,
    DateTimeOffset ObservedAt)
{
    /// <summary>The partition of items every RTO sees (a new tender in the field, a dataset update).</summary>
    public const string Broadcast = "_all";

    /// <summary><c>{sequence:D12}-{id}</c>: plans in order, a plan's items in id order, the same key on every re-derivation.</summary>
    public string RowKey => RowKeyOf(Sequence, Id);

    public bool IsBroadcast => Rto == Broadcast;

    public static string RowKeyOf(long sequence, string id) => sequence.ToString("D12", CultureInfo.InvariantCulture) + "-" + id;

    /// <summary>The first row key of plan <paramref name="sequence"/>: every row of earlier plans sorts before it.</summary>
    public static string PlanStart(long sequence) => sequence.ToString("D12", CultureInfo.InvariantCulture) + "-";

    /// <summary>
    /// Lowercase hex SHA-256 of <c>kind|rto|subject|change|sequence</c>, e.g. <c>component-superseded|90001|BSBWHS411|BSBWHS521|2</c>.
    /// The sequence (fixed when the plan is recorded) and not the step's from-digest: a source can return to an earlier
    /// snapshot (a dataset A → B → A → B), so a from-digest repeats where a plan sequence never does.
    /// </summary>
    public static string IdOf(string kind, string rto, string subject, string change, long sequence) =>
        Sha256Digest.Of(Encoding.UTF8.GetBytes(string.Join('|', kind, rto, subject, change, sequence.ToString(CultureInfo.InvariantCulture))))[Sha256Digest.Prefix.Length..];
}

/// <summary>The kinds of radar item (docs/spec/radar.md).</summary>
public static class RadarKinds
{
    public const string ComponentSuperseded = "component-superseded";
    public const string RegistrationChanged = "registration-changed";
    public const string ScopeChanged = "scope-changed";
    public const string ContractAwarded = "contract-awarded";
    public const string TenderPublished = "tender-published";
    public const string DatasetUpdated = "dataset-updated";
    public const string DatasetWithdrawn = "dataset-withdrawn";
}
