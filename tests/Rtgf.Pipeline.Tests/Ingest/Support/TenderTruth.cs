using System.Text.Json.Nodes;
using Rtgf.UpstreamSimulator.AusTender;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Pipeline.Tests.Ingest.Support;

/// <summary>
/// What <c>tender-sync</c> must store for a span of AusTender, from the simulator's own truth: its generated releases
/// (as JSON, not through the parser) and its world's RTOs with their registration status; kept and merged here by
/// hand, not by <c>TenderKeepFilter</c> or <c>ContractNoticeRecord.Merge</c>, so a bug in those shows as a difference.
/// </summary>
internal static class TenderTruth
{
    /// <summary>One kept contract: its latest release, every amendment id, and the current RTOs among suppliers and buyer.</summary>
    public sealed record Contract(string ReleaseId, string AmendmentIds, string RtoCodes, string BuyerRtoCodes);

    public static Dictionary<string, Contract> Of(SimulatedWorld world, DateTimeOffset from, DateTimeOffset to)
    {
        var current = world.Rtos.Where(r => r.Status == RtoStatus.Current).ToLookup(r => r.Abn, r => r.Code, StringComparer.Ordinal);
        var releases = new Dictionary<string, List<(DateTimeOffset Date, string Id, JsonObject Release)>>(StringComparer.Ordinal);
        foreach (var reference in AusTenderGenerator.ReleasesIn(world, from, to))
        {
            var release = AusTenderGenerator.Release(world, reference);
            var id = (string)release["contracts"]![0]!["id"]!;
            (releases.TryGetValue(id, out var list) ? list : releases[id] = []).Add((reference.Date, reference.Id, release));
        }

        var truth = new Dictionary<string, Contract>(StringComparer.Ordinal);
        foreach (var (id, list) in releases)
        {
            var latest = list.OrderBy(r => r.Date).ThenBy(r => r.Id, StringComparer.Ordinal).Last().Release;
            var supplierCodes = Codes(current, Abn(latest, "supplier"));
            var buyerCodes = Codes(current, Abn(latest, "procuringEntity"));
            var education = list.Any(r => ((string)r.Release["contracts"]![0]!["items"]![0]!["classification"]!["id"]!).StartsWith("86", StringComparison.Ordinal));
            if (!education && supplierCodes.Length == 0 && buyerCodes.Length == 0)
            {
                continue;
            }

            var amendments = list.SelectMany(r => r.Release["contracts"]![0]!["amendments"]?.AsArray() ?? []).Select(a => (string)a!["id"]!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            truth[id] = new Contract((string)latest["id"]!, string.Join(",", amendments), string.Join(",", supplierCodes), string.Join(",", buyerCodes));
        }

        return truth;
    }

    private static string? Abn(JsonObject release, string role)
    {
        var party = release["parties"]!.AsArray().Single(p => p!["roles"]!.AsArray().Any(r => (string)r! == role))!;
        var text = party["additionalIdentifiers"]!.AsArray().Select(i => ((string)i!["id"]!).Replace(" ", string.Empty, StringComparison.Ordinal)).FirstOrDefault();
        return text is { Length: 11 } && text.All(char.IsAsciiDigit) ? text : null;
    }

    private static string[] Codes(ILookup<string, string> current, string? abn) =>
        abn is null ? [] : [.. current[abn].Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
