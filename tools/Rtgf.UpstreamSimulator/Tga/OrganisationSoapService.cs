using System.Xml.Linq;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Tga;

/// <summary>IOrganisationService: Search, SearchByScope, SearchByModifiedDate, SearchDeletedByDeletedDate, GetDetails, GetServerTime.</summary>
internal sealed class OrganisationSoapService(SimulatedWorld world)
{
    public static readonly string[] Operations =
        ["Search", "SearchByScope", "SearchByModifiedDate", "SearchDeletedByDeletedDate", "GetDetails", "GetServerTime", "GetLookup", "GetRegistrationManagers"];

    public XElement Invoke(string operation, XElement body, TgaXml xml)
    {
        var request = body.Element(xml.Ns + "request");
        lock (world.Gate)
        {
            var result = operation switch
            {
                "Search" => Search(TrainingComponentSoapService.Required(request, operation), xml),
                "SearchByScope" => SearchByScope(TrainingComponentSoapService.Required(request, operation), xml),
                "SearchByModifiedDate" => SearchByModifiedDate(TrainingComponentSoapService.Required(request, operation), xml),
                "SearchDeletedByDeletedDate" => SearchDeleted(TrainingComponentSoapService.Required(request, operation), xml),
                "GetDetails" => GetDetails(TrainingComponentSoapService.Required(request, operation), xml),
                "GetLookup" => TgaLookups.Lookup(TrainingComponentSoapService.Required(request, operation), xml),
                "GetRegistrationManagers" => TgaLookups.RegistrationManagers(xml),
                _ => TrainingComponentSoapService.ServerTime(world, xml),
            };
            return xml.E(operation + "Response", result);
        }
    }

    internal static string StatusLabel(RtoStatus status) => status switch
    {
        RtoStatus.Current => "Current",
        RtoStatus.NonCurrent => "Non-current",
        _ => "Cancelled",
    };

    private IEnumerable<Rto> Live => world.Rtos.Where(r => r.Deleted is null);

    private XElement Search(XElement request, TgaXml xml)
    {
        var page = PageWindow.Read(xml, request);
        var filter = (xml.ReadString(request, "Filter") ?? string.Empty).Trim();
        var includeCode = xml.ReadBool(request, "IncludeCode");
        var activeOnly = xml.ReadBool(request, "ExcludeRtoWithoutActiveRegistration");
        var managers = Managers(xml, request);
        var matches = Live
            .Where(r => !activeOnly || r.HasActiveRegistration)
            .Where(r => managers.Count == 0 || managers.Contains(r.RegistrationManager))
            .Where(r => filter.Length == 0
                || r.LegalName.Contains(filter, StringComparison.OrdinalIgnoreCase)
                || r.TradingName.Contains(filter, StringComparison.OrdinalIgnoreCase)
                || (includeCode && string.Equals(r.Code, filter, StringComparison.OrdinalIgnoreCase)));
        return Page("SearchResult", matches, page, xml);
    }

    private XElement SearchByScope(XElement request, TgaXml xml)
    {
        var page = PageWindow.Read(xml, request);
        var code = (xml.ReadString(request, "Filter") ?? string.Empty).Trim();
        if (code.Length == 0)
        {
            throw SoapFaultException.Validation("FilterRequired", "Filter (a training component code) is required.");
        }

        var managers = Managers(xml, request);
        var matches = Live
            .Where(r => managers.Count == 0 || managers.Contains(r.RegistrationManager))
            .Where(r => HasCurrentScope(r, code));
        return Page("SearchByScopeResult", matches, page, xml);
    }

    private bool HasCurrentScope(Rto rto, string code)
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

    private XElement SearchByModifiedDate(XElement request, TgaXml xml)
    {
        var page = PageWindow.Read(xml, request);
        var window = TimeWindow.Read(xml, request);
        var managers = request.Element(xml.Ns + "DataManagerFilter")?.Elements(SoapNamespaces.Arrays + "string").Select(e => e.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var matches = Live
            .Where(r => window.Contains(r.Updated))
            .Where(r => managers is not { Count: > 0 } || managers.Contains(r.RegistrationManager));
        return Page("SearchByModifiedDateResult", matches, page, xml);
    }

    private XElement SearchDeleted(XElement request, TgaXml xml)
    {
        var page = PageWindow.Read(xml, request);
        var window = TimeWindow.Read(xml, request);
        var deleted = world.Rtos
            .Where(r => r.Deleted is { } d && window.Contains(d))
            .OrderBy(r => r.Deleted)
            .ThenBy(r => r.Code, StringComparer.Ordinal);
        return xml.E(
            "SearchDeletedByDeletedDateResult",
            page.Slice(deleted).Select(r => xml.E(
                "DeletedOrganisation",
                xml.Text("Operation", "PhysicalDelete"),
                xml.Text("OrganisationCode", r.Code),
                xml.Offset("UpdatedDate", r.Deleted!.Value))));
    }

    private static HashSet<string> Managers(TgaXml xml, XElement request) =>
        request.Element(xml.Ns + "RegistrationManagers")?.Elements(SoapNamespaces.Arrays + "string").Select(e => e.Value).ToHashSet(StringComparer.OrdinalIgnoreCase)
        ?? new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    private static XElement Page(string name, IEnumerable<Rto> matches, PageWindow page, TgaXml xml)
    {
        var ordered = matches.OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
        return xml.E(
            name,
            xml.Int("Count", ordered.Count),
            xml.Int("PageNumber", page.Number),
            xml.Int("PageSize", page.Size),
            xml.E("Results", page.Slice(ordered).Select(r => Item(r, xml))));
    }

    private static XElement Item(Rto r, TgaXml xml)
    {
        var item = xml.E(
            "OrganisationSearchResultItem",
            xml.Text("Code", r.Code),
            xml.Text("DataManagerCode", r.RegistrationManager),
            xml.Bool("HasActiveRegistration", r.HasActiveRegistration),
            xml.Text("LegalPersonName", r.LegalName),
            xml.Text("TradingName", r.TradingName),
            xml.Offset("UpdatedDate", r.Updated));
        if (!xml.Versioned)
        {
            return item;
        }

        item.Add(xml.Bool("IsLegacyData", false), xml.Text("RegistrationStatus", StatusLabel(r.Status)));
        return TgaXml.Typed(item, "OrganisationSearchResultItem3");
    }

    private XElement GetDetails(XElement request, TgaXml xml)
    {
        var code = xml.ReadString(request, "Code")?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            throw SoapFaultException.Validation("CodeRequired", "Code is required.");
        }

        var r = world.FindRto(code);
        if (r is null || r.Deleted is not null)
        {
            throw SoapFaultException.Validation("InvalidCode", $"Organisation '{code}' was not found.");
        }

        var info = request.Element(xml.Ns + "InformationRequested");
        bool Show(string flag) => info is null || xml.ReadBool(info, flag);
        var created = DateOnly.FromDateTime(r.Created.UtcDateTime);
        var ended = r.HasActiveRegistration ? (DateOnly?)null : r.RegistrationEnd;
        var address = xml.E(
            "Address",
            xml.Text("CountryCode", "1101"),
            xml.Text("Line1", r.Address.Line1),
            xml.Nil("Line2"),
            xml.Text("Postcode", r.Address.Postcode),
            xml.Text("StateCode", r.Address.State),
            xml.Nil("StateOverseas"),
            xml.Text("Suburb", r.Address.Suburb));

        var details = xml.E(
            "GetDetailsResult",
            Show("ShowCodes") ? xml.E("Codes", xml.E("OrganisationCode", xml.Dto(created, null), xml.Text("Code", r.Code))) : null,
            Show("ShowContacts")
                ? xml.E("Contacts", xml.E(
                    "Contact",
                    xml.Dto(created, null),
                    xml.Text("Email", r.Email),
                    xml.Nil("Fax"),
                    xml.Text("FirstName", r.ContactFirstName),
                    xml.Nil("GroupName"),
                    xml.Text("JobTitle", "Chief Executive Officer"),
                    xml.Text("LastName", r.ContactLastName),
                    xml.Nil("Mobile"),
                    xml.Text("OrganisationName", r.LegalName),
                    xml.Text("Phone", r.Phone),
                    new XElement(address) { Name = xml.Ns + "PostalAddress" },
                    xml.Text("RoleCode", "ChiefExecutive"),
                    xml.Nil("Title"),
                    xml.Text("TypeCode", "1")))
                : null,
            xml.Offset("CreatedDate", r.Created),
            Show("ShowDataManagers") ? xml.E("DataManagers", xml.E("DataManagerAssignment", xml.Dto(created, null), xml.Text("Code", r.RegistrationManager))) : null,
            Show("ShowLocations") ? xml.E("Locations", xml.E("OrganisationLocation", xml.Dto(created, null), address)) : null,
            Show("ShowResponsibleLegalPersons")
                ? xml.E("ResponsibleLegalPersons", xml.E("ResponsibleLegalPerson", xml.Dto(created, null), xml.Strings("Abns", [r.Abn]), xml.Text("Acn", r.Acn), xml.Text("Name", r.LegalName)))
                : null,
            Show("ShowTradingNames") ? xml.E("TradingNames", xml.E("TradingName", xml.Dto(created, null), xml.Text("Name", r.TradingName))) : null,
            xml.Offset("UpdatedDate", r.Updated),
            Show("ShowUrls") ? xml.E("Urls", xml.E("Url", xml.Dto(created, null), xml.Text("Link", r.Website))) : null,
            Show("ShowRtoClassifications") ? xml.E("Classifications", xml.E("Classification", xml.Dto(created, null), xml.Text("PurposeCode", "1"), xml.Text("SchemeCode", "01"), xml.Text("ValueCode", "91"))) : null,
            Show("ShowRtoDeliveryNotification") ? xml.E("DeliveryNotifications") : null,
            Show("ShowRegistrationManagers") ? xml.E("RegistrationManagers", xml.E("RegistrationManagerAssignment", xml.Dto(r.RegistrationStart, ended), xml.Text("Code", r.RegistrationManager))) : null,
            Show("ShowRegistrationPeriods")
                ? xml.E("RegistrationPeriods", xml.E(
                    "RegistrationPeriod",
                    xml.Dto(r.RegistrationStart, r.RegistrationEnd),
                    xml.Text("EndReasonCode", r.EndReason),
                    xml.Text("EndReasonComments", r.EndReason is null ? null : "Registration " + r.EndReason.ToLowerInvariant()),
                    xml.Text("Exerciser", r.RegistrationManager),
                    xml.Text("LegalAuthority", r.RegistrationManager == "ASQA" ? "NVETR Act" : "State legislation")))
                : null,
            Show("ShowRestrictions") ? xml.E("Restrictions") : null,
            Show("ShowExplicitScope") ? xml.E("Scopes", Scopes(r, xml)) : null);
        if (xml.Versioned)
        {
            details.Add(xml.Text("RegistrationStatus", StatusLabel(r.Status)));
        }

        return TgaXml.Typed(details, xml.Versioned ? "Rto3" : "Rto");
    }

    private List<XElement> Scopes(Rto r, TgaXml xml)
    {
        var list = new List<XElement>(r.ScopeCount);
        foreach (var row in world.ScopeOf(r))
        {
            var component = world.Components[row.Component];
            var scope = xml.E(
                "Scope",
                xml.Dto(row.Start, row.End),
                xml.Text("ExtentCode", "0" + row.Extent.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                xml.Bool("IsImplicit", false),
                xml.Bool("IsRefused", false),
                xml.Text("NrtCode", component.Code),
                xml.Text("TrainingComponentType", TrainingComponentSoapService.TypeName(component.Kind)));
            if (xml.Versioned)
            {
                scope.Add(xml.Text("ScopeDecisionType", row.End is null ? "Granted" : r.Status == RtoStatus.Cancelled ? "Cancelled" : "Granted"));
                TgaXml.Typed(scope, "Scope2");
            }

            list.Add(scope);
        }

        return list;
    }
}
