using System.Globalization;
using System.Text.Json.Nodes;
using Rtgf.UpstreamSimulator.Abs;
using Rtgf.UpstreamSimulator.AusTender;
using Rtgf.UpstreamSimulator.Jsa;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Admin;

/// <summary>
/// Applies a JSON change list in order: before each change the simulated clock moves on by <c>stepSeconds</c>
/// (default 60), and the change is stamped with the new time. Stops at the first bad change.
/// </summary>
internal static class ChangeApplier
{
    public static JsonObject Apply(SimulatedWorld world, JsonArray changes, int stepSeconds)
    {
        if (stepSeconds < 0)
        {
            throw new SimulatorException("stepSeconds must not be negative.");
        }

        var applied = new JsonArray();
        lock (world.Gate)
        {
            for (var i = 0; i < changes.Count; i++)
            {
                if (changes[i] is not JsonObject change)
                {
                    throw new SimulatorException($"changes[{i}] must be an object.");
                }

                world.SetClock(world.Clock.AddSeconds(stepSeconds));
                try
                {
                    applied.Add(ApplyOne(world, change));
                }
                catch (SimulatorException e)
                {
                    throw new SimulatorException($"changes[{i}] ({change["kind"]}): {e.Message} ({applied.Count} earlier change(s) were applied).", e);
                }
            }

            return new JsonObject { ["clock"] = Format(world.Clock), ["applied"] = applied };
        }
    }

    internal static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject ApplyOne(SimulatedWorld world, JsonObject change)
    {
        var kind = Text(change, "kind");
        var result = new JsonObject { ["kind"] = kind, ["at"] = Format(world.Clock) };
        switch (kind)
        {
            case "cancelRto":
                world.CancelRto(Text(change, "code"), OptionalText(change, "reason") ?? "Cancelled");
                result["code"] = Text(change, "code");
                break;
            case "supersedeComponent":
                var replacement = world.SupersedeComponent(Text(change, "code"), OptionalText(change, "by"), change["isEquivalent"]?.GetValue<bool>() ?? true);
                result["code"] = Text(change, "code");
                result["by"] = replacement.Code;
                break;
            case "removeScope":
                world.RemoveScope(Text(change, "rtoCode"), Text(change, "componentCode"));
                result["rtoCode"] = Text(change, "rtoCode");
                result["componentCode"] = Text(change, "componentCode");
                break;
            case "deleteComponent":
                world.DeleteComponent(Text(change, "code"));
                result["code"] = Text(change, "code");
                break;
            case "deleteOrganisation":
                world.DeleteOrganisation(Text(change, "code"));
                result["code"] = Text(change, "code");
                break;
            case "addSanction":
                var aliases = change["aliases"] is JsonArray a ? a.Select(n => n?.GetValue<string>() ?? string.Empty).ToList() : [];
                var party = world.AddSanction(Text(change, "name"), OptionalText(change, "type") ?? "Individual", aliases, OptionalText(change, "dateOfBirth") ?? string.Empty, OptionalText(change, "committees") ?? "Counter-Terrorism (UNSC 1373)");
                result["reference"] = party.Reference.ToString(CultureInfo.InvariantCulture);
                result["name"] = party.Name;
                break;
            case "expireCricosCourse":
                world.ExpireCricosCourse(Text(change, "code"));
                result["code"] = Text(change, "code");
                break;
            case "newOslYear":
                result["year"] = OslChanges.NewYear(world);
                break;
            case "rateOccupation":
                var rated = OslChanges.Rate(world, Text(change, "code"), OptionalText(change, "state") ?? "national", Text(change, "rating"));
                result["code"] = rated.Code;
                result["national"] = rated.National;
                break;
            case "reshapeOsl":
                world.OslReshaped = change["reshaped"]?.GetValue<bool>() ?? true;
                result["reshaped"] = world.OslReshaped;
                break;
            case "correctAbsSeries":
                var flow = AbsFlow(Text(change, "dataflow"));
                var periods = world.Abs.Correct(flow, Text(change, "key"), change["periods"]?.GetValue<int>() ?? 3);
                result["dataflow"] = flow.Id;
                result["key"] = Text(change, "key");
                result["periods"] = new JsonArray([.. periods.Select(p => (JsonNode?)p)]);
                break;
            case "addAbsPeriod":
                var addedFlow = AbsFlow(Text(change, "dataflow"));
                result["dataflow"] = addedFlow.Id;
                result["period"] = world.Abs.AddPeriod(addedFlow);
                break;
            case "iviNewMonth":
                // The next month's release: its workbook in the next folder; every earlier month keeps its values.
                world.IviMonth = world.IviMonth.AddMonths(1);
                result["month"] = world.IviMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                break;
            case "iviRevision":
                // The current release is re-issued with the 24 months up to its reference month redrawn.
                world.IviRevisions.Add(world.IviMonth);
                result["month"] = world.IviMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                result["revisions"] = world.IviRevisions.Count;
                break;
            case "renameOsl":
                world.OslUnderscoreNaming = change["underscores"]?.GetValue<bool>() ?? true;
                result["underscores"] = world.OslUnderscoreNaming;
                break;
            case "withdrawAbsSeries":
                var withdrawn = AbsFlow(Text(change, "dataflow"));
                world.Abs.Withdraw(withdrawn, Text(change, "key"));
                result["dataflow"] = withdrawn.Id;
                result["key"] = Text(change, "key");
                break;
            case "updateDatasetResource":
                var updated = world.DataGovAu.UpdateResource(Text(change, "dataset"), OptionalText(change, "resource"), world.Clock);
                result["dataset"] = Text(change, "dataset");
                result["resource"] = updated.Id;
                break;
            case "addDatasetResource":
                var added = world.DataGovAu.AddResource(Text(change, "dataset"), world.Clock);
                result["dataset"] = Text(change, "dataset");
                result["resource"] = added.Id;
                result["name"] = added.Name;
                break;
            case "withdrawDataset":
                result["dataset"] = world.DataGovAu.Withdraw(Text(change, "dataset")).Id;
                break;
            case "addTenderContract":
                result["contractId"] = AusTenderChanges.AddContract(world, OptionalText(change, "rtoCode"));
                break;
            case "amendTenderContract":
                result["releaseId"] = AusTenderChanges.Amend(world, Text(change, "contractId"));
                result["contractId"] = Text(change, "contractId");
                break;
            default:
                throw new SimulatorException($"Unknown change kind '{kind}': use addTenderContract, amendTenderContract, cancelRto, supersedeComponent, removeScope, deleteComponent, deleteOrganisation, addSanction, expireCricosCourse, newOslYear, rateOccupation, reshapeOsl, iviNewMonth, iviRevision, correctAbsSeries, addAbsPeriod, withdrawAbsSeries, renameOsl, updateDatasetResource, addDatasetResource or withdrawDataset.");
        }

        return result;
    }

    private static AbsDataflow AbsFlow(string flowRef) =>
        AbsDataflow.Find(flowRef) ?? throw new SimulatorException($"Unknown ABS dataflow '{flowRef}': use {string.Join(" or ", AbsDataflow.All.Select(f => f.Id))}.");

    private static string Text(JsonObject change, string name) =>
        OptionalText(change, name) ?? throw new SimulatorException($"'{name}' is required.");

    private static string? OptionalText(JsonObject change, string name)
    {
        try
        {
            return change[name]?.GetValue<string>();
        }
        catch (InvalidOperationException)
        {
            throw new SimulatorException($"'{name}' must be a string.");
        }
    }
}
