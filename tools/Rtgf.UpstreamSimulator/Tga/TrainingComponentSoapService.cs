using System.Xml.Linq;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Tga;

/// <summary>ITrainingComponentService: Search, SearchByModifiedDate, SearchDeletedByDeletedDate, GetDetails, GetServerTime.</summary>
internal sealed class TrainingComponentSoapService(SimulatedWorld world)
{
    public static readonly string[] Operations = ["Search", "SearchByModifiedDate", "SearchDeletedByDeletedDate", "GetDetails", "GetServerTime", "GetLookup"];

    public XElement Invoke(string operation, XElement body, TgaXml xml)
    {
        var request = body.Element(xml.Ns + "request");
        lock (world.Gate)
        {
            XElement result = operation switch
            {
                "Search" => Search(Required(request, operation), xml),
                "SearchByModifiedDate" => SearchByModifiedDate(Required(request, operation), xml),
                "SearchDeletedByDeletedDate" => SearchDeleted(Required(request, operation), xml),
                "GetDetails" => GetDetails(Required(request, operation), xml),
                "GetLookup" => TgaLookups.Lookup(Required(request, operation), xml),
                _ => ServerTime(world, xml),
            };
            return xml.E(operation + "Response", result);
        }
    }

    internal static XElement Required(XElement? request, string operation) =>
        request ?? throw SoapFaultException.Validation("RequestRequired", $"{operation} needs a <request> element in the service namespace.");

    internal static XElement ServerTime(SimulatedWorld world, TgaXml xml) =>
        xml.E("GetServerTimeResult", world.Clock.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));

    internal static string TypeName(ComponentKind kind) => kind.ToString();

    private XElement Search(XElement request, TgaXml xml)
    {
        var page = PageWindow.Read(xml, request);
        var filter = (xml.ReadString(request, "Filter") ?? string.Empty).Trim();
        var searchCode = xml.ReadBool(request, "SearchCode");
        var searchTitle = xml.ReadBool(request, "SearchTitle");
        var includeDeleted = xml.ReadBool(request, "IncludeDeleted");
        var includeSuperseded = xml.ReadBool(request, "IncludeSuperseeded");
        var types = TypeFilter(xml, request.Element(xml.Ns + "TrainingComponentTypes"));
        var matches = world.Components
            .Where(c => types.Contains(c.Kind))
            .Where(c => c.Usage == UsageState.Current || (c.Usage == UsageState.Superseded && includeSuperseded) || (c.Usage == UsageState.Deleted && includeDeleted))
            .Where(c => filter.Length == 0
                || (searchCode && c.Code.Contains(filter, StringComparison.OrdinalIgnoreCase))
                || (searchTitle && c.Title.Contains(filter, StringComparison.OrdinalIgnoreCase))
                || (!searchCode && !searchTitle && (c.Code.Contains(filter, StringComparison.OrdinalIgnoreCase) || c.Title.Contains(filter, StringComparison.OrdinalIgnoreCase))));
        return Page("SearchResult", matches, page, xml);
    }

    private XElement SearchByModifiedDate(XElement request, TgaXml xml)
    {
        var page = PageWindow.Read(xml, request);
        var window = TimeWindow.Read(xml, request);
        var types = TypeFilter(xml, request.Element(xml.Ns + "TrainingComponentTypes"));
        var managers = request.Element(xml.Ns + "DataManagerFilter")?.Elements(SoapNamespaces.Arrays + "string").Select(e => e.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var matches = world.Components
            .Where(c => types.Contains(c.Kind) && window.Contains(c.Updated))
            .Where(c => managers is not { Count: > 0 } || managers.Contains(c.PackageCode));
        return Page("SearchByModifiedDateResult", matches, page, xml);
    }

    private XElement SearchDeleted(XElement request, TgaXml xml)
    {
        var page = PageWindow.Read(xml, request);
        var window = TimeWindow.Read(xml, request);
        var deleted = world.Components
            .Where(c => c.Deleted is { } d && window.Contains(d))
            .OrderBy(c => c.Deleted)
            .ThenBy(c => c.Code, StringComparer.Ordinal);
        return xml.E(
            "SearchDeletedByDeletedDateResult",
            page.Slice(deleted).Select(c => xml.E(
                "DeletedTrainingComponent",
                xml.Text("NationalCode", c.Code),
                xml.Text("Operation", "LogicalDelete"),
                xml.Offset("UpdatedDate", c.Deleted!.Value))));
    }

    private static XElement Page(string name, IEnumerable<TrainingComponent> matches, PageWindow page, TgaXml xml)
    {
        var ordered = matches.OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        return xml.E(
            name,
            xml.Int("Count", ordered.Count),
            xml.Int("PageNumber", page.Number),
            xml.Int("PageSize", page.Size),
            xml.E("Results", page.Slice(ordered).Select(c => Summary(c, xml))));
    }

    private static XElement Summary(TrainingComponent c, TgaXml xml)
    {
        var summary = xml.E(
            "TrainingComponentSummary",
            xml.Text("Code", c.Code),
            xml.Text("ComponentType", TypeName(c.Kind)),
            xml.Offset("CreatedDate", c.Created),
            xml.Bool("IsConfidential", false),
            xml.Bool("IsCurrent", c.Usage == UsageState.Current),
            xml.Text("Title", c.Title),
            xml.Offset("UpdatedDate", c.Updated),
            xml.Text("UsageReccomendation", c.Usage.ToString()));
        if (!xml.Versioned)
        {
            return summary;
        }

        summary.Add(xml.Bool("IsLegacyData", false), xml.Text("CurrencyStatus", c.Usage.ToString()));
        return TgaXml.Typed(summary, "TrainingComponentSummary3");
    }

    private static HashSet<ComponentKind> TypeFilter(TgaXml xml, XElement? filter)
    {
        if (filter is null)
        {
            return [.. Enum.GetValues<ComponentKind>()];
        }

        var set = new HashSet<ComponentKind>();
        if (xml.ReadBool(filter, "IncludeQualification"))
        {
            set.Add(ComponentKind.Qualification);
        }

        if (xml.ReadBool(filter, "IncludeUnit"))
        {
            set.Add(ComponentKind.Unit);
        }

        if (xml.ReadBool(filter, "IncludeSkillSet"))
        {
            set.Add(ComponentKind.SkillSet);
        }

        if (xml.ReadBool(filter, "IncludeAccreditedCourse"))
        {
            set.Add(ComponentKind.AccreditedCourse);
        }

        return set;
    }

    private XElement GetDetails(XElement request, TgaXml xml)
    {
        var code = xml.ReadString(request, "Code")?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            throw SoapFaultException.Validation("CodeRequired", "Code is required.");
        }

        var c = world.FindComponent(code) ?? throw SoapFaultException.Validation("InvalidCode", $"Training component '{code}' was not found.");
        var info = request.Element(xml.Ns + "InformationRequest");
        bool Show(string flag) => info is null || xml.ReadBool(info, flag);
        var created = DateOnly.FromDateTime(c.Created.UtcDateTime);
        var current = c.Usage == UsageState.Current;

        return xml.E(
            "GetDetailsResult",
            Show("ShowClassifications") ? xml.E("Classifications", Classifications(c, created, xml)) : null,
            xml.Text("Code", c.Code),
            Show("ShowCompletionMapping") ? xml.E("CompletionMapping") : null,
            xml.Text("ComponentType", TypeName(c.Kind)),
            Show("ShowContacts") ? xml.E("Contacts") : null,
            xml.Offset("CreatedDate", c.Created),
            Show("ShowCurrencyPeriods") ? xml.E("CurrencyPeriods", xml.E("NrtCurrencyPeriod", xml.Dto(created, current ? null : c.UsageSince), xml.Text("Authority", c.PackageCode + " SSO"))) : null,
            Show("ShowDataManagers") ? xml.E("DataManagers", xml.E("DataManagerAssignment", xml.Dto(created, null), xml.Text("Code", c.PackageCode))) : null,
            xml.Bool("IsConfidential", false),
            xml.Nil("IscOrganisationCode"),
            Show("ShowMappingInformation") ? xml.E("MappingInformation", Mappings(c, xml)) : null,
            xml.Text("ParentCode", c.Kind == ComponentKind.AccreditedCourse ? null : c.PackageCode),
            xml.Text("ParentTitle", c.Kind == ComponentKind.AccreditedCourse ? null : c.PackageCode + " Training Package"),
            Show("ShowRecognitionManagers") ? xml.E("RecognitionManagers", xml.E("RecognitionManagerAssignment", xml.Dto(created, null), xml.Text("Code", "ASQA"))) : null,
            Show("ShowReleases") ? xml.E("Releases", Releases(c, xml, Show("ShowFiles"), Show("ShowUnitGrid"), Show("ShowComponents"))) : null,
            xml.Text("Title", c.Title),
            xml.Offset("UpdatedDate", c.Updated),
            Show("ShowUsageRecommendation") ? xml.E("UsageRecommendations", UsageRows(c, xml)) : null);
    }

    /// <summary>
    /// A qualification's classifications: scheme <c>01</c> (ANZSCO identifier: the occupation it leads to) and <c>05</c>
    /// (qualification level), both with purpose <c>1</c> (primary).
    /// </summary>
    private static IEnumerable<XElement> Classifications(TrainingComponent c, DateOnly created, TgaXml xml)
    {
        if (c.Anzsco is { } occupation)
        {
            yield return xml.E("Classification", xml.Dto(created, null), xml.Text("PurposeCode", "1"), xml.Text("SchemeCode", "01"), xml.Text("ValueCode", occupation));
        }

        if (c.QualificationLevel is { } level)
        {
            yield return xml.E("Classification", xml.Dto(created, null), xml.Text("PurposeCode", "1"), xml.Text("SchemeCode", "05"), xml.Text("ValueCode", level));
        }
    }

    /// <summary>TGA records mappings from the newer code to the older one; both sides show the same row.</summary>
    private IEnumerable<XElement> Mappings(TrainingComponent c, TgaXml xml)
    {
        if (c.Supersedes is { } older)
        {
            yield return Mapping(c, world.FindComponent(older), xml);
        }

        if (c.SupersededBy is { } newer && world.FindComponent(newer) is { } successor)
        {
            yield return Mapping(successor, c, xml);
        }
    }

    private static XElement Mapping(TrainingComponent newer, TrainingComponent? older, TgaXml xml) => xml.E(
        "Mapping",
        xml.Text("Code", newer.Code),
        xml.Bool("IsEquivalent", newer.IsEquivalent),
        xml.Text("MapsToCode", older?.Code ?? newer.Supersedes),
        xml.Text("MapsToTitle", older?.Title),
        xml.Text("Notes", newer.IsEquivalent ? "Equivalent outcome" : "Not equivalent"),
        xml.Text("Title", newer.Title));

    private IEnumerable<XElement> Releases(TrainingComponent c, TgaXml xml, bool files, bool unitGrid, bool components)
    {
        var first = DateOnly.FromDateTime(c.Created.UtcDateTime);
        for (var n = c.ReleaseCount; n >= 1; n--)
        {
            var date = n == c.ReleaseCount ? c.LatestReleaseDate : first.AddDays((c.LatestReleaseDate.DayNumber - first.DayNumber) * (n - 1) / Math.Max(1, c.ReleaseCount - 1));
            var number = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return xml.E(
                "Release",
                xml.Text("ApprovalProcess", "Standard"),
                components ? xml.E("Components") : null,
                xml.Text("Currency", n == c.ReleaseCount && c.Usage == UsageState.Current ? "Current" : "Replaced"),
                files ? xml.E("Files", xml.E("ReleaseFile", xml.Text("RelativePath", c.PackageCode + "\\" + c.Code + "_R" + number + ".xml"), xml.Int("Size", 20_000 + (c.Title.Length * 997 % 60_000)))) : null,
                xml.Date("IscApprovalDate", date.AddDays(-30)),
                xml.Date("MinisterialAgreementDate", c.Kind == ComponentKind.Qualification ? date.AddDays(-10) : null),
                xml.Nil("NqcEndorsementDate"),
                xml.Date("ReleaseDate", date),
                xml.Text("ReleaseNumber", number),
                unitGrid && c.Kind is ComponentKind.Qualification or ComponentKind.SkillSet ? xml.E("UnitGrid", UnitGrid(c, xml)) : null);
        }
    }

    private IEnumerable<XElement> UnitGrid(TrainingComponent c, TgaXml xml) => world.Components
        .Where(u => u.Kind == ComponentKind.Unit && u.Usage == UsageState.Current && u.PackageCode == c.PackageCode)
        .Take(8)
        .Select(u => xml.E("UnitGridEntry", xml.Text("Code", u.Code), xml.Text("Title", u.Title)));

    private static IEnumerable<XElement> UsageRows(TrainingComponent c, TgaXml xml)
    {
        var created = DateOnly.FromDateTime(c.Created.UtcDateTime);
        if (c.Usage == UsageState.Current)
        {
            yield return xml.E("UsageRecommendation", xml.Dto(c.UsageSince, null), xml.Text("State", "Current"));
            yield break;
        }

        yield return xml.E("UsageRecommendation", xml.Dto(created, c.UsageSince), xml.Text("State", "Current"));
        yield return xml.E("UsageRecommendation", xml.Dto(c.UsageSince, null), xml.Text("State", c.Usage.ToString()));
    }
}
