using Rtgf.Ingestion.Records;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// Which AusTender contract notices and approaches to market RTGF keeps: any item in a kept UNSPSC segment, or (contracts)
/// any supplier or buyer whose ABN is an RTO's. Most of AusTender (defence, IT, facilities) says nothing about training
/// providers; the education and training segment and the RTOs' own contracts do.
/// </summary>
public static class TenderKeepFilter
{
    /// <summary>
    /// UNSPSC segment 86 (Education and Training Services: vocational training, alternative education, educational
    /// facilities, educational institutions, specialised educational services) as the 2-digit prefix of the 8-digit code.
    /// A constant, not a setting: changing it changes what the tender snapshot means.
    /// </summary>
    public static readonly IReadOnlyList<string> KeptUnspscPrefixes = ["86"];

    public static bool IsKeptCategory(string category) =>
        KeptUnspscPrefixes.Any(prefix => category.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>
    /// The contract with <see cref="ContractNoticeRecord.RtoCodes"/> (suppliers) and <see cref="ContractNoticeRecord.BuyerRtoCodes"/>
    /// set from its parties' ABNs; null when it is not kept. A current RTO as supplier or as buyer keeps it.
    /// </summary>
    public static ContractNoticeRecord? Keep(ContractNoticeRecord contract, RtoAbns rtos, bool alreadyKept)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(rtos);
        var matched = rtos.Match(contract);
        return alreadyKept || matched.RtoCodes.Count > 0 || matched.BuyerRtoCodes.Count > 0 || contract.Categories.Any(IsKeptCategory) ? matched : null;
    }
}
