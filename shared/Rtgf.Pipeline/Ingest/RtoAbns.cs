using System.Text.Json;
using Rtgf.Ingestion.Records;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// RTO codes by ABN, read from the TGA mirror's organisation rows (not the TGA snapshot: the snapshot carries half a
/// million scope lines to read for four thousand ABNs, and the mirror is what the next TGA snapshot will say). Only
/// organisations whose TGA registration status is <c>Current</c> count: a non-current or cancelled registration (or a
/// row without a status) is not an RTO today, and its ABN may be a company that no longer trains. Deleted
/// organisations are left out; an ABN shared by several RTOs gives all their codes.
/// </summary>
public sealed class RtoAbns
{
    private readonly Dictionary<string, List<string>> _codes;

    public RtoAbns(IEnumerable<(string Code, string Abn)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _codes = entries
            .GroupBy(e => e.Abn, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Code).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    /// <summary>TGA's registration status label of a current RTO.</summary>
    public const string CurrentStatus = "Current";

    public int Count => _codes.Count;

    public static async Task<RtoAbns> ReadAsync(TgaMirror mirror, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        var entries = new List<(string, string)>();
        await foreach (var row in mirror.Organisations.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (row.Deleted)
            {
                continue;
            }

            using var json = JsonDocument.Parse(row.Json);
            if (json.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
                && string.Equals(status.GetString(), CurrentStatus, StringComparison.OrdinalIgnoreCase)
                && json.RootElement.TryGetProperty("abn", out var abn) && abn.ValueKind == JsonValueKind.String
                && json.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                && Ingestion.AusTender.OcdsReleaseParser.NormaliseAbn(abn.GetString(), out _) is { } normalised)
            {
                entries.Add((code.GetString()!, normalised));
            }
        }

        return new RtoAbns(entries);
    }

    /// <summary>The sorted RTO codes of the contract's suppliers (the seam's <c>rtoCodes</c>: a contract awarded to an RTO).</summary>
    public IReadOnlyList<string> CodesOf(ContractNoticeRecord contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return CodesOf(contract.Suppliers);
    }

    /// <summary>The sorted RTO codes of the contract's buyer (<c>buyerRtoCodes</c>: an RTO buying).</summary>
    public IReadOnlyList<string> BuyerCodesOf(ContractNoticeRecord contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return CodesOf([contract.Buyer]);
    }

    /// <summary>The contract with <c>rtoCodes</c> and <c>buyerRtoCodes</c> set from its parties' ABNs.</summary>
    public ContractNoticeRecord Match(ContractNoticeRecord contract) =>
        contract with { RtoCodes = CodesOf(contract), BuyerRtoCodes = BuyerCodesOf(contract) };

    private List<string> CodesOf(IEnumerable<ContractParty?> parties) =>
        [.. parties
            .Select(p => p?.Abn)
            .Where(abn => abn is not null && _codes.ContainsKey(abn))
            .SelectMany(abn => _codes[abn!])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
}
