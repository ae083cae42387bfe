using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.Formats;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Tga;

/// <summary>
/// The keyless REST API under <c>/api</c>: training search and detail, organisation detail and scope, metadata.
/// Search pages with <c>offset</c>/<c>pageSize</c> and answers <c>{count, data}</c>; scope answers <c>{value, count}</c>;
/// a <c>|</c> in a filter is an HTTP 500, as reported of the real API.
/// </summary>
internal static class TgaRestEndpoints
{
    public static void Map(WebApplication app, SimulatedWorld world)
    {
        app.MapGet("/api/metadata", (HttpContext context) => Send(context, world, w => new JsonObject
        {
            ["dataExportSynchronisationDateTime"] = w.Clock.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["informationalVersion"] = "1.0.0+simulator",
            ["version"] = "1.0",
        }));
        app.MapGet("/api/search/training", (HttpContext context) => Send(context, world, w => SearchTraining(w, context.Request.Query)));
        app.MapGet("/api/search/organisation", (HttpContext context) => Send(context, world, w => SearchOrganisation(w, context.Request.Query)));
        app.MapGet("/api/training/{code}", (string code, HttpContext context) => Send(context, world, w => w.FindComponent(code) is { } c ? TrainingDetail(c) : null));
        app.MapGet("/api/organisation/{code}", (string code, HttpContext context) => Send(context, world, w => w.FindRto(code) is { Deleted: null } r ? OrganisationDetail(r) : null));
        app.MapGet("/api/organisation/{code}/scope", (string code, HttpContext context) => Send(context, world, w => w.FindRto(code) is { Deleted: null } r ? Scope(w, r, context.Request.Query) : null));
    }

    private static async Task Send(HttpContext context, SimulatedWorld world, Func<SimulatedWorld, JsonNode?> build)
    {
        JsonNode? node;
        try
        {
            lock (world.Gate)
            {
                node = build(world);
            }
        }
        catch (SimulatorException e)
        {
            context.Response.StatusCode = e.Message.StartsWith("500", StringComparison.Ordinal) ? StatusCodes.Status500InternalServerError : StatusCodes.Status400BadRequest;
            await HttpDownload.SendTextAsync(context, new JsonObject { ["title"] = e.Message, ["status"] = context.Response.StatusCode }.ToJsonString(), "application/problem+json").ConfigureAwait(false);
            return;
        }

        if (node is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await HttpDownload.SendTextAsync(context, """{"title":"Not Found","status":404}""", "application/problem+json").ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<SchemaDriftFeature>() is not null)
        {
            SchemaDrift.Apply(node);
        }

        await HttpDownload.SendTextAsync(context, node.ToJsonString(), "application/json; charset=utf-8").ConfigureAwait(false);
    }

    private static (int Offset, int PageSize) Paging(IQueryCollection query, int defaultSize)
    {
        var offset = Int(query, "offset", 0);
        var size = Int(query, "pageSize", defaultSize);
        if (offset < 0 || size is < 1 or > 1000)
        {
            throw new SimulatorException("offset must be 0 or more and pageSize between 1 and 1000.");
        }

        return (offset, size);
    }

    private static int Int(IQueryCollection query, string name, int fallback) =>
        !query.TryGetValue(name, out var text) || text.Count == 0 ? fallback
        : int.TryParse(text.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw new SimulatorException($"{name} must be an integer, not '{text}'.");

    private static void RejectPipes(string? filter)
    {
        if (filter is not null && filter.Contains('|', StringComparison.Ordinal))
        {
            throw new SimulatorException("500 An unexpected error occurred while processing the filter.");
        }
    }

    internal static string TypeId(ComponentKind kind) => kind switch
    {
        ComponentKind.Qualification => "qualification",
        ComponentKind.Unit => "unit",
        ComponentKind.SkillSet => "skillSet",
        _ => "accreditedCourse",
    };

    private static string TypeName(ComponentKind kind) => kind switch
    {
        ComponentKind.SkillSet => "Skill Set",
        ComponentKind.AccreditedCourse => "Accredited Course",
        _ => kind.ToString(),
    };

    /// <summary>A stable GUID per code (the real nrtId is a register GUID; here it is derived from the code).</summary>
    internal static string NrtId(string code) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(code)).AsSpan(0, 16)).ToString();

    private static JsonObject Status(TrainingComponent c) => c.Usage switch
    {
        UsageState.Current => new JsonObject { ["id"] = "current", ["isCurrent"] = true, ["name"] = "Current" },
        UsageState.Deleted => new JsonObject { ["id"] = "deleted", ["isCurrent"] = false, ["name"] = "Deleted" },
        _ when c.IsEquivalent => new JsonObject { ["id"] = "supersededEquivalent", ["isCurrent"] = false, ["name"] = "Superseded (equivalent)" },
        _ => new JsonObject { ["id"] = "supersededNonEquivalent", ["isCurrent"] = false, ["name"] = "Superseded (not equivalent)" },
    };

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static JsonObject Summary(TrainingComponent c)
    {
        var level = c.QualificationLevel is { } code ? Array.IndexOf(Vocabulary.LevelCodes, code) : -1;
        return new JsonObject
        {
            ["code"] = c.Code,
            ["title"] = c.Title,
            ["nrtId"] = NrtId(c.Code),
            ["type"] = new JsonObject { ["id"] = TypeId(c.Kind), ["name"] = TypeName(c.Kind) },
            ["status"] = Status(c),
            ["qualificationLevel"] = level < 0 ? null : new JsonObject { ["code"] = c.QualificationLevel, ["name"] = Vocabulary.LevelNames[level] },
            ["trainingPackage"] = c.Kind == ComponentKind.AccreditedCourse ? null : new JsonObject { ["code"] = c.PackageCode, ["title"] = c.PackageCode + " Training Package" },
            ["latestRelease"] = new JsonObject { ["date"] = Day(c.LatestReleaseDate), ["number"] = c.ReleaseCount.ToString(CultureInfo.InvariantCulture) },
            ["usageRecommendation"] = new JsonObject { ["name"] = c.Usage.ToString(), ["startDate"] = Day(c.UsageSince) },
            ["supersedes"] = c.Supersedes is null ? new JsonArray() : new JsonArray(new JsonObject { ["code"] = c.Supersedes, ["isEquivalent"] = c.IsEquivalent }),
            ["supersededBy"] = c.SupersededBy is null ? new JsonArray() : new JsonArray(new JsonObject { ["code"] = c.SupersededBy, ["isEquivalent"] = c.IsEquivalent }),
        };
    }

    private static JsonObject SearchTraining(SimulatedWorld world, IQueryCollection query)
    {
        var (offset, size) = Paging(query, 20);
        var text = query["searchText"].ToString();
        var filter = query["filter"].ToString();
        RejectPipes(filter);
        string? type = null;
        if (filter.Length > 0)
        {
            const string prefix = "type eq '";
            type = filter.StartsWith(prefix, StringComparison.Ordinal) && filter.EndsWith('\'')
                ? filter[prefix.Length..^1]
                : throw new SimulatorException($"Unsupported filter '{filter}': the simulator understands only type eq '<type id>'.");
        }

        var matches = world.Components
            .Where(c => c.Usage != UsageState.Deleted)
            .Where(c => type is null || TypeId(c.Kind) == type)
            .Where(c => text.Length == 0 || c.Code.Contains(text, StringComparison.OrdinalIgnoreCase) || c.Title.Contains(text, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Code, StringComparer.Ordinal)
            .ToList();
        return new JsonObject
        {
            ["count"] = matches.Count,
            ["data"] = new JsonArray([.. matches.Skip(offset).Take(size).Select(c => (JsonNode)Summary(c))]),
        };
    }

    private static JsonObject SearchOrganisation(SimulatedWorld world, IQueryCollection query)
    {
        var (offset, size) = Paging(query, 20);
        var text = query["searchText"].ToString();
        var trainingCode = query["trainingCode"].ToString();
        RejectPipes(query["filter"].ToString());
        var matches = world.Rtos
            .Where(r => r.Deleted is null)
            .Where(r => text.Length == 0 || r.Code == text || r.LegalName.Contains(text, StringComparison.OrdinalIgnoreCase) || r.TradingName.Contains(text, StringComparison.OrdinalIgnoreCase))
            .Where(r => trainingCode.Length == 0 || HasScope(world, r, trainingCode))
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .ToList();
        return new JsonObject
        {
            ["count"] = matches.Count,
            ["data"] = new JsonArray([.. matches.Skip(offset).Take(size).Select(r => (JsonNode)new JsonObject
            {
                ["code"] = r.Code,
                ["legalName"] = r.LegalName,
                ["tradingNames"] = new JsonArray(r.TradingName),
                ["status"] = new JsonObject { ["id"] = OrganisationStatusId(r.Status), ["name"] = OrganisationSoapService.StatusLabel(r.Status) },
                ["registrationManager"] = r.RegistrationManager,
            })]),
        };
    }

    private static string OrganisationStatusId(RtoStatus status) => status switch
    {
        RtoStatus.Current => "current",
        RtoStatus.Cancelled => "cancelled",
        _ => "nonCurrent",
    };

    private static bool HasScope(SimulatedWorld world, Rto rto, string code)
    {
        foreach (var row in world.ScopeOf(rto))
        {
            if (row.End is null && string.Equals(world.Components[row.Component].Code, code, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static JsonObject TrainingDetail(TrainingComponent c)
    {
        var detail = Summary(c);
        var first = DateOnly.FromDateTime(c.Created.UtcDateTime);
        var releases = new JsonArray();
        for (var n = c.ReleaseCount; n >= 1; n--)
        {
            var date = n == c.ReleaseCount ? c.LatestReleaseDate : first.AddDays((c.LatestReleaseDate.DayNumber - first.DayNumber) * (n - 1) / Math.Max(1, c.ReleaseCount - 1));
            releases.Add(new JsonObject
            {
                ["id"] = NrtId(c.Code + "/" + n.ToString(CultureInfo.InvariantCulture)),
                ["releaseNumber"] = n.ToString(CultureInfo.InvariantCulture),
                ["releaseDate"] = Day(date),
                ["currency"] = n == c.ReleaseCount && c.Usage == UsageState.Current ? "current" : "replaced",
            });
        }

        detail["releases"] = releases;
        detail["createdDate"] = c.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        detail["updatedDate"] = c.Updated.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return detail;
    }

    private static JsonObject OrganisationDetail(Rto r)
    {
        var start = Day(DateOnly.FromDateTime(r.Created.UtcDateTime));
        return new JsonObject
        {
            ["code"] = r.Code,
            ["status"] = new JsonObject { ["id"] = OrganisationStatusId(r.Status), ["name"] = OrganisationSoapService.StatusLabel(r.Status) },
            ["legalNames"] = new JsonArray(new JsonObject { ["name"] = r.LegalName, ["abns"] = new JsonArray(r.Abn), ["acn"] = r.Acn, ["startDate"] = start, ["endDate"] = null }),
            ["tradingNames"] = new JsonArray(new JsonObject { ["name"] = r.TradingName, ["endDate"] = null }),
            ["webAddresses"] = new JsonArray(new JsonObject { ["webAddress"] = r.Website, ["endDate"] = null }),
            ["registrations"] = new JsonArray(new JsonObject
            {
                ["startDate"] = Day(r.RegistrationStart),
                ["endDate"] = Day(r.RegistrationEnd),
                ["registrationManager"] = r.RegistrationManager,
                ["endReason"] = r.EndReason,
            }),
            ["classifications"] = new JsonArray(new JsonObject { ["schemeDescription"] = "Organisation type", ["valueDescription"] = "Privately operated registered training organisation", ["value"] = "91", ["isPrimary"] = true, ["endDate"] = null }),
            ["addresses"] = new JsonArray(new JsonObject
            {
                ["type"] = "headOffice",
                ["line1"] = r.Address.Line1,
                ["suburb"] = r.Address.Suburb,
                ["state"] = r.Address.State,
                ["postcode"] = r.Address.Postcode,
            }),
            ["updatedDate"] = r.Updated.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
    }

    private static JsonObject Scope(SimulatedWorld world, Rto rto, IQueryCollection query)
    {
        var (offset, size) = Paging(query, 500);
        var filters = query["filters"].ToString();
        RejectPipes(filters);
        string? typeFilter = null;
        string? statusFilter = null;
        foreach (var clause in filters.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = clause.Split("==", 2);
            switch (parts)
            {
                case ["componentType", var t]:
                    typeFilter = t;
                    break;
                case ["status", var s]:
                    statusFilter = s;
                    break;
                default:
                    throw new SimulatorException($"Unsupported filter '{clause}': use componentType==… and status==… joined by ';'.");
            }
        }

        var today = DateOnly.FromDateTime(world.Clock.UtcDateTime);
        var items = new List<JsonObject>();
        foreach (var row in world.ScopeOf(rto))
        {
            var c = world.Components[row.Component];
            var status = row.End is { } end && end <= today ? "nonCurrent" : "current";
            if ((typeFilter is not null && !string.Equals(TypeId(c.Kind), typeFilter, StringComparison.OrdinalIgnoreCase))
                || (statusFilter is not null && !string.Equals(status, statusFilter, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var state = rto.Address.State;
            items.Add(new JsonObject
            {
                ["code"] = c.Code,
                ["title"] = c.Title,
                ["componentType"] = TypeId(c.Kind),
                ["componentTypeLabel"] = TypeName(c.Kind),
                ["nrtId"] = NrtId(c.Code),
                ["extent"] = "0" + row.Extent.ToString(CultureInfo.InvariantCulture),
                ["extentLabel"] = row.Extent switch { 1 => "Deliver and assess", 2 => "Assess only", _ => "Deliver only" },
                ["isImplicit"] = false,
                ["status"] = status,
                ["statusLabel"] = status == "current" ? "Current" : "Non-current",
                ["startDate"] = Day(row.Start),
                ["endDate"] = row.End is { } e ? Day(e) : null,
                ["deliveryNsw"] = state == "NSW",
                ["deliveryVic"] = state == "VIC",
                ["deliveryQld"] = state == "QLD",
                ["deliverySa"] = state == "SA",
                ["deliveryWa"] = state == "WA",
                ["deliveryTas"] = state == "TAS",
                ["deliveryNt"] = state == "NT",
                ["deliveryAct"] = state == "ACT",
                ["deliveryInternational"] = false,
            });
        }

        var sorted = items.OrderBy(i => i["code"]!.GetValue<string>(), StringComparer.Ordinal).ToList();
        return new JsonObject
        {
            ["value"] = new JsonArray([.. sorted.Skip(offset).Take(size)]),
            ["count"] = sorted.Count,
        };
    }
}
