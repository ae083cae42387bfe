using System.Globalization;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.AusTender;

/// <summary>
/// Scripted AusTender changes, stamped with the world's clock: a new education contract (CN9000001, CN9000002, …) with an
/// RTO as supplier, and an amendment (a later release of a scripted contract with a higher value). Call under the gate.
/// </summary>
internal static class AusTenderChanges
{
    public static string AddContract(SimulatedWorld world, string? rtoCode)
    {
        var rto = rtoCode is null ? null : world.FindRto(rtoCode) ?? throw new SimulatorException($"No RTO with code '{rtoCode}'.");
        var n = world.AusTender.Contracts.Count + 1;
        var contractId = "CN9" + n.ToString("000000", CultureInfo.InvariantCulture);
        var ocid = "prod-sim" + n.ToString("00000000", CultureInfo.InvariantCulture);
        var releaseId = ocid + "-r1";
        var release = AusTenderGenerator.Build(
            ocid, releaseId, world.Clock, contractId, "Department of Employment and Workplace Relations", "51000000000",
            rto?.LegalName ?? "Scripted Training Pty Ltd", rto is null ? "98765432109" : AusTenderGenerator.SpacedAbn(rto.Abn),
            "86101700", 148_500m, "limited", contractId + "-TRAINING", "Delivery of VET training services");
        world.AusTender.Contracts[contractId] = release;
        world.AusTender.Add(world.Clock, releaseId, release);
        return contractId;
    }

    public static string Amend(SimulatedWorld world, string contractId)
    {
        if (!world.AusTender.Contracts.TryGetValue(contractId, out var latest))
        {
            throw new SimulatorException($"No scripted AusTender contract '{contractId}' (only scripted contracts can be amended).");
        }

        var count = world.AusTender.Count + 1;
        var releaseId = (string)latest["ocid"]! + "-r" + count.ToString(CultureInfo.InvariantCulture);
        var amended = AusTenderGenerator.Amend(latest, releaseId, world.Clock, "A" + count.ToString(CultureInfo.InvariantCulture), 10);
        world.AusTender.Contracts[contractId] = amended;
        world.AusTender.Add(world.Clock, releaseId, amended);
        return releaseId;
    }
}
