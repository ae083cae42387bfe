using System.Globalization;
using Rtgf.Register.Search;
using Rtgf.Testing;

namespace Rtgf.Register.Tests.Search;

/// <summary>
/// A hand-written core of real-looking components and RTOs (the ones the assertions name), plus a seeded bulk of
/// generated ones so ranking has realistic statistics and paging runs over many pages.
/// </summary>
public static class SearchCorpus
{
    public const string AcmeAbn = "51 824 753 556";

    public static IReadOnlyList<SearchDocument> Core { get; } =
    [
        Component("BSB50120", "Diploma of Business", "Qualification", "Current", ["NSW", "VIC", "QLD"]),
        Component("BSB40120", "Certificate IV in Business", "Qualification", "Current", ["NSW", "WA"]),
        Component("BSB50415", "Diploma of Business Administration Services and Office Management", "Qualification", "Superseded", ["VIC"]),
        Component("CHC50121", "Diploma of Early Childhood Education and Care", "Qualification", "Current", ["NSW", "VIC", "SA"]),
        Component("CHC30121", "Certificate III in Early Childhood Education and Care", "Qualification", "Current", ["QLD", "TAS"]),
        Component("TAE40122", "Certificate IV in Training and Assessment", "Qualification", "Current", ["NSW", "ACT"]),
        Component("TAEASS502", "Design and develop assessment tools (TAE40122 core unit)", "Unit", "Current", ["NSW"]),
        Component("CPC30220", "Certificate III in Carpentry", "Qualification", "Current", ["WA", "NT"]),
        Component("ICT50220", "Diploma of Information Technology", "Qualification", "Current", ["VIC"]),
        Component("SITHCCC023", "Use food preparation equipment", "Unit", "Current", ["QLD"]),
        Component("BSBWHS211", "Contribute to the health and safety of self and others", "Unit", "Current", ["NSW", "VIC"]),
        Component("HLTSS00068", "Café and kitchen hygiene skill set", "SkillSet", "Deleted", []),
        Component("10983NAT", "Certificate IV in Cyber Security", "AccreditedCourse", "Current", ["VIC"]),
        Rto("90003", "Acme Training Pty Ltd", "Acme College", AcmeAbn, "Current", "ASQA", ["NSW"], ["Qualification", "Unit"]),
        Rto("3044", "Southern Cross Institute of Carpentry Pty Ltd", "Southern Cross Carpentry", "16 009 661 901", "Cancelled", "ASQA", ["WA"], ["Qualification"]),
        Rto("22311", "Victorian Academy of Hospitality", "VAH", "83 914 571 673", "Current", "VRQA", ["VIC"], ["Unit", "SkillSet"]),
        Rto("51277", "Perth Business Institute", "PBI", "11 222 333 444", "NonCurrent", "TAC", ["WA"], ["Qualification", "AccreditedCourse"]),
    ];

    private static readonly string[] Words =
    [
        "Agriculture", "Automotive", "Retail", "Plumbing", "Electrotechnology", "Aviation", "Community", "Services", "Fitness",
        "Hairdressing", "Horticulture", "Logistics", "Warehousing", "Security", "Screen", "Media", "Tourism", "Events", "Beauty",
        "Conservation", "Engineering", "Manufacturing", "Laboratory", "Operations", "Sport", "Recreation", "Property", "Finance",
        "Accounting", "Bookkeeping", "Marketing", "Communication", "Design", "Music", "Visual", "Arts", "Nursing", "Dental",
        "Pathology", "Ageing", "Disability", "Support", "Youth", "Work", "Civil", "Construction", "Mining", "Drilling",
    ];

    private static readonly string[] Levels = ["Certificate I in", "Certificate II in", "Certificate III in", "Diploma of", "Advanced Diploma of", "Graduate Diploma of"];
    private static readonly string[] Verbs = ["Apply", "Manage", "Operate", "Coordinate", "Maintain", "Implement", "Monitor", "Develop"];
    private static readonly string[] Statuses = ["Current", "Current", "Current", "Superseded", "Deleted"];
    private static readonly string[] States = ["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"];
    private static readonly string[] Types = ["Qualification", "Unit", "SkillSet", "AccreditedCourse"];
    private static readonly string[] Managers = ["ASQA", "ASQA", "ASQA", "VRQA", "TAC"];

    /// <summary>The core and <paramref name="generated"/> seeded documents (no codes or words of the core's assertions).</summary>
    public static IReadOnlyList<SearchDocument> With(int generated, ulong seed = 20261205)
    {
        var random = new SeededRandom(seed);
        string Pick(string[] values) => values[random.Next(0, values.Length)];
        IReadOnlyList<string> Some(string[] values) => [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => Pick(values)).Distinct(StringComparer.Ordinal)];

        var documents = new List<SearchDocument>(Core);
        for (var i = 0; i < generated; i++)
        {
            var n = i.ToString("D5", CultureInfo.InvariantCulture);
            if (i % 5 == 4)
            {
                var name = Pick(Words) + " " + Pick(Words) + " Training Pty Ltd";
                documents.Add(Rto("7" + n, name, Pick(Words) + " Academy", "9" + n + "00000", Pick(["Current", "NonCurrent", "Cancelled"]), Pick(Managers), Some(States), Some(Types)));
            }
            else if (i % 5 == 3)
            {
                documents.Add(Component("GEN" + Pick(Verbs).ToUpperInvariant()[..3] + n, Pick(Verbs) + " " + Pick(Words).ToLowerInvariant() + " " + Pick(Words).ToLowerInvariant() + " procedures", "Unit", Pick(Statuses), Some(States)));
            }
            else
            {
                documents.Add(Component("GEN" + n, Pick(Levels) + " " + Pick(Words) + " " + Pick(Words), Pick(Types), Pick(Statuses), Some(States)));
            }
        }

        return documents;
    }

    public static SearchDocument Component(string code, string title, string type, string status, IReadOnlyList<string> states) =>
        new("component", code, title, [], null, status, [type], states, null);

    public static SearchDocument Rto(string code, string legalName, string tradingName, string abn, string status, string manager, IReadOnlyList<string> states, IReadOnlyList<string> types) =>
        new("rto", code, legalName, [legalName, tradingName], abn, status, types, states, manager);
}
