using System.Xml.Linq;

namespace Rtgf.UpstreamSimulator.Tga;

/// <summary>
/// GetLookup and GetRegistrationManagers: the code tables behind the codes the simulator emits (extent codes,
/// release currency, end reasons, …). The real code values are not documented; these are the simulator's.
/// </summary>
internal static class TgaLookups
{
    private static readonly Dictionary<string, (string Code, string Description)[]> Tables = new(StringComparer.Ordinal)
    {
        ["ScopeExtent"] = [("01", "Deliver and assess"), ("02", "Assess only"), ("03", "Deliver only")],
        ["TrainingComponentReleaseCurrency"] = [("Current", "Current"), ("Replaced", "Replaced")],
        ["TrainingComponentUsageRecommendation"] = [("Current", "Current"), ("Superseded", "Superseded"), ("Deleted", "Deleted")],
        ["TrainingComponentType"] = [("Qualification", "Qualification"), ("Unit", "Unit of competency"), ("SkillSet", "Skill set"), ("AccreditedCourse", "Accredited course")],
        ["RegistrationEndReason"] = [("Cancelled", "Registration cancelled by the regulator"), ("Expired", "Registration expired")],
        ["Country"] = [("1101", "Australia")],
        ["ContactType"] = [("1", "Chief Executive")],
        ["ClassificationPurpose"] = [("1", "Primary")],
    };

    public static XElement Lookup(XElement request, TgaXml xml)
    {
        var name = xml.ReadString(request, "LookupName")?.Trim() ?? string.Empty;
        if (!Tables.TryGetValue(name, out var rows))
        {
            throw SoapFaultException.Validation("InvalidLookupName", $"LookupName must be one of {string.Join(", ", Tables.Keys)}, not '{name}'.");
        }

        return xml.E("GetLookupResult", rows.Select(r => xml.E("Lookup", xml.Text("Code", r.Code), xml.Text("Description", r.Description))));
    }

    public static XElement RegistrationManagers(TgaXml xml) => xml.E(
        "GetRegistrationManagersResult",
        new[] { ("ASQA", "Australian Skills Quality Authority"), ("TAC", "Training Accreditation Council Western Australia"), ("VRQA", "Victorian Registration and Qualifications Authority") }
            .Select(m => xml.E("RegistrationManager", xml.Text("Code", m.Item1), xml.Text("Description", m.Item2), xml.Text("ShortName", m.Item1))));
}
