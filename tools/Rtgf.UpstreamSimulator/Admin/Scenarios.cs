using System.Text.Json.Nodes;
using Rtgf.UpstreamSimulator.DataGovAu;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Admin;

/// <summary>
/// Named change lists whose targets are picked from the world deterministically (lowest code that qualifies), so a
/// test can run a scenario and learn from the answer which codes changed.
/// </summary>
internal static class Scenarios
{
    public static readonly string[] Names = ["rto-cancelled", "qualification-superseded", "scope-removed", "sanction-added", "cricos-course-expired", "monthly-churn", "osl-new-year", "osl-rating-changed", "ivi-new-month", "ivi-revision", "abs-series-correction", "abs-series-withdrawn", "dataset-resource-updated", "dataset-resource-added", "dataset-withdrawn", "holidays-new-year", "tender-new-contract", "tender-amendment"];

    public static JsonArray Changes(SimulatedWorld world, string name)
    {
        lock (world.Gate)
        {
            return name switch
            {
                "rto-cancelled" => [CancelRto(world)],
                "qualification-superseded" => [Supersede(world)],
                "scope-removed" => [RemoveScope(world)],
                "sanction-added" => [AddSanction()],
                "cricos-course-expired" => [ExpireCourse(world)],
                "ivi-new-month" => [new JsonObject { ["kind"] = "iviNewMonth" }],
                "ivi-revision" => [new JsonObject { ["kind"] = "iviRevision" }],
                "monthly-churn" => [CancelRto(world), Supersede(world), RemoveScope(world), AddSanction(), ExpireCourse(world)],
                "abs-series-correction" => [CorrectAbsSeries(), AddAbsPeriod()],
                "osl-new-year" => [new JsonObject { ["kind"] = "newOslYear" }],
                "osl-rating-changed" => [RateOccupation(world)],
                "abs-series-withdrawn" => [WithdrawAbsSeries()],
                "dataset-resource-updated" => [UpdateDatasetResource(DataGovAuCatalogue.NcverStudentsId), UpdateDatasetResource(DataGovAuCatalogue.NcverFundedId)],
                "dataset-resource-added" => [new JsonObject { ["kind"] = "addDatasetResource", ["dataset"] = DataGovAuCatalogue.NcverStudentsId }],
                "dataset-withdrawn" => [new JsonObject { ["kind"] = "withdrawDataset", ["dataset"] = DataGovAuCatalogue.NcverFundedId }],
                "holidays-new-year" => [new JsonObject { ["kind"] = "addDatasetResource", ["dataset"] = DataGovAuCatalogue.HolidaysId }],
                "tender-new-contract" => [new JsonObject { ["kind"] = "addTenderContract", ["rtoCode"] = FirstCurrentRto(world).Code }],
                "tender-amendment" => [new JsonObject { ["kind"] = "amendTenderContract", ["contractId"] = LatestScriptedContract(world) }],
                _ => throw new SimulatorException($"Unknown scenario '{name}': use {string.Join(", ", Names)}."),
            };
        }
    }

    private static Rto FirstCurrentRto(SimulatedWorld world, Func<Rto, bool>? also = null) =>
        world.Rtos.Where(r => r.Deleted is null && r.Status == RtoStatus.Current && r.ScopeCount > 1 && (also?.Invoke(r) ?? true))
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .FirstOrDefault() ?? throw new SimulatorException("No current RTO is left for this scenario.");

    private static string LatestScriptedContract(SimulatedWorld world) =>
        world.AusTender.Contracts.Keys.Order(StringComparer.Ordinal).LastOrDefault()
        ?? throw new SimulatorException("No scripted AusTender contract to amend: run tender-new-contract first.");

    private static JsonObject CancelRto(SimulatedWorld world) => new() { ["kind"] = "cancelRto", ["code"] = FirstCurrentRto(world).Code };

    private static JsonObject Supersede(SimulatedWorld world)
    {
        var qualification = world.Components
            .Where(c => c.Kind == ComponentKind.Qualification && c.Usage == UsageState.Current && c.Supersedes is null)
            .OrderBy(c => c.Code, StringComparer.Ordinal)
            .FirstOrDefault() ?? throw new SimulatorException("No current qualification is left to supersede.");
        return new JsonObject { ["kind"] = "supersedeComponent", ["code"] = qualification.Code, ["isEquivalent"] = true };
    }

    /// <summary>The last current RTO (so it never collides with rto-cancelled in monthly-churn) and its first current scope row.</summary>
    private static JsonObject RemoveScope(SimulatedWorld world)
    {
        var rto = world.Rtos.Where(r => r.Deleted is null && r.Status == RtoStatus.Current && r.ScopeCount > 0)
            .OrderByDescending(r => r.Code, StringComparer.Ordinal)
            .First(r => HasCurrentRow(world, r));
        foreach (var row in world.ScopeOf(rto))
        {
            if (row.End is null)
            {
                return new JsonObject { ["kind"] = "removeScope", ["rtoCode"] = rto.Code, ["componentCode"] = world.Components[row.Component].Code };
            }
        }

        throw new SimulatorException("No current scope row is left to remove.");
    }

    private static bool HasCurrentRow(SimulatedWorld world, Rto rto)
    {
        foreach (var row in world.ScopeOf(rto))
        {
            if (row.End is null)
            {
                return true;
            }
        }

        return false;
    }

    private static JsonObject AddSanction() => new()
    {
        ["kind"] = "addSanction",
        ["name"] = "SCENARIO, Example Person",
        ["type"] = "Individual",
        ["aliases"] = new JsonArray("PERSON, Scenario Example"),
        ["dateOfBirth"] = "01/01/1970",
        ["committees"] = "Counter-Terrorism (UNSC 1373)",
    };

    /// <summary>The lowest-coded occupation's national rating moves between shortage and no shortage.</summary>
    private static JsonObject RateOccupation(SimulatedWorld world)
    {
        var occupation = world.Occupations.OrderBy(o => o.Code, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new SimulatorException("The world has no occupations to rate.");
        return new JsonObject { ["kind"] = "rateOccupation", ["code"] = occupation.Code, ["state"] = "national", ["rating"] = occupation.National == "S" ? "NS" : "S" };
    }

    private static JsonObject ExpireCourse(SimulatedWorld world) => new()
    {
        ["kind"] = "expireCricosCourse",
        ["code"] = world.CricosCourses.Where(c => !c.Expired).OrderBy(c => c.CourseCode, StringComparer.Ordinal).First().CourseCode,
    };

    /// <summary>The ABS revises the last three months of the NSW seasonally adjusted unemployment rate (flagged <c>r</c>) …</summary>
    private static JsonObject CorrectAbsSeries() => new() { ["kind"] = "correctAbsSeries", ["dataflow"] = "LF", ["key"] = "M13.3.1599.20.1.M", ["periods"] = 3 };

    /// <summary>… and publishes the next month of the labour force.</summary>
    private static JsonObject AddAbsPeriod() => new() { ["kind"] = "addAbsPeriod", ["dataflow"] = "LF" };

    /// <summary>A dataset's first resource (by id) is replaced: a new last_modified, and a new hash where it has one.</summary>
    private static JsonObject UpdateDatasetResource(string dataset) => new() { ["kind"] = "updateDatasetResource", ["dataset"] = dataset };

    /// <summary>The ABS withdraws the Northern Territory's population series: a '+'-list key that names it comes back without it.</summary>
    private static JsonObject WithdrawAbsSeries() => new() { ["kind"] = "withdrawAbsSeries", ["dataflow"] = "ERP_Q", ["key"] = "1.3.TOT.7.Q" };
}
