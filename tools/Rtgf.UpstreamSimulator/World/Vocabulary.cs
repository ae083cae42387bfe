namespace Rtgf.UpstreamSimulator.World;

/// <summary>Word lists the generator composes synthetic (not real) names and titles from.</summary>
internal static class Vocabulary
{
    public static readonly string[] Packages =
    [
        "ACM", "AHC", "AMP", "AUR", "BSB", "CHC", "CPC", "CPP", "CUA", "DEF", "FBP", "FNS", "FWP", "HLT", "ICT",
        "LGA", "MEM", "MSF", "MSS", "PSP", "RII", "SFL", "SHB", "SIR", "SIS", "SIT", "TAE", "TLI", "UEE", "UET",
    ];

    public static readonly string[] Domains =
    [
        "ADM", "CMP", "COM", "CUS", "DES", "FIN", "HRM", "INF", "LEG", "MGT", "MKT", "OPS", "PRJ", "PRO", "QUA",
        "RSK", "SAF", "SUS", "TEC", "WHS",
    ];

    public static readonly string[] Fields =
    [
        "Business", "Leadership and Management", "Community Services", "Individual Support", "Early Childhood Education and Care",
        "Hospitality", "Commercial Cookery", "Construction", "Electrotechnology", "Automotive Servicing Technology",
        "Information Technology", "Cyber Security", "Accounting and Bookkeeping", "Work Health and Safety", "Fitness",
        "Beauty Therapy", "Horticulture", "Agriculture", "Supply Chain Operations", "Retail Operations", "Travel and Tourism",
        "Security Operations", "Plumbing", "Carpentry", "Health Administration", "Mental Health", "Disability Support",
        "Ageing Support", "Civil Construction", "Translating and Interpreting",
    ];

    public static readonly string[] LevelNames = ["Certificate I", "Certificate II", "Certificate III", "Certificate IV", "Diploma", "Advanced Diploma"];

    public static readonly string[] LevelCodes = ["524", "521", "514", "511", "421", "411"];

    public static readonly string[] Verbs =
    [
        "Apply", "Develop", "Manage", "Implement", "Monitor", "Maintain", "Coordinate", "Prepare", "Provide", "Conduct",
        "Use", "Plan", "Review", "Establish", "Contribute to", "Lead", "Assess", "Support", "Operate", "Evaluate",
    ];

    public static readonly string[] Objects =
    [
        "workplace safety procedures", "customer service", "team effectiveness", "financial records", "project scope",
        "quality assurance processes", "digital information", "risk assessments", "sustainability practices",
        "workplace communication", "work priorities", "client needs", "inventory", "compliance obligations",
        "stakeholder relationships", "data security", "equipment and tools", "incident responses", "budgets",
        "continuous improvement", "diversity in the workplace", "infection control", "site inspections",
        "electrical circuits", "food safety programs",
    ];

    public static readonly string[] NameFirst =
    [
        "Southern", "Northern", "Coastal", "Harbour", "Summit", "Pioneer", "Eastern", "Western", "Capital", "Outback",
        "Bluegum", "Wattle", "Ironbark", "Riverside", "Horizon", "Keystone", "Meridian", "Redgum", "Sapphire", "Unity",
    ];

    public static readonly string[] NameSecond =
    [
        "Skills", "Training", "Learning", "Education", "Careers", "Workforce", "Trades", "Academy", "Knowledge", "Pathways",
    ];

    public static readonly string[] GivenNames =
    [
        "Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Harper", "Rowan",
    ];

    public static readonly string[] FamilyNames =
    [
        "Nguyen", "Smith", "Chen", "Williams", "Brown", "Singh", "Jones", "Kelly", "Martin", "Patel", "Wilson", "Taylor",
    ];

    public static readonly string[] ListedGiven = ["Ivan", "Omar", "Kim", "Reza", "Sergei", "Ali", "Min", "Farid", "Pavel", "Hassan"];

    public static readonly string[] ListedFamily = ["Exampleov", "Placeholder", "Fictus", "Sampleton", "Testari", "Mockwell", "Dummov", "Synthes"];

    public static readonly string[] ListedEntityWords = ["Trading", "Shipping", "Industrial", "Logistics", "Holdings", "Defence", "Energy", "Bank"];

    public static readonly string[] Committees =
    [
        "Democratic People's Republic of Korea", "Iran", "Libya", "Russia", "Syria", "Myanmar", "Counter-Terrorism (UNSC 1373)",
        "ISIL (Da'esh) and Al-Qaida",
    ];

    public static readonly Address[] Places =
    [
        new("1 Church Street", "Parramatta", "NSW", "2150"), new("20 Lygon Street", "Carlton", "VIC", "3053"),
        new("5 Brunswick Street", "Fortitude Valley", "QLD", "4006"), new("100 King William Street", "Adelaide", "SA", "5000"),
        new("200 St Georges Terrace", "Perth", "WA", "6000"), new("12 Elizabeth Street", "Hobart", "TAS", "7000"),
        new("8 Smith Street", "Darwin", "NT", "0800"), new("3 Northbourne Avenue", "Canberra", "ACT", "2601"),
        new("40 Moorabool Street", "Geelong", "VIC", "3220"), new("77 Hunter Street", "Newcastle", "NSW", "2300"),
        new("9 Flinders Street", "Townsville", "QLD", "4810"), new("15 Victoria Street", "Bunbury", "WA", "6230"),
        new("21 Cameron Street", "Launceston", "TAS", "7250"), new("60 Crown Street", "Wollongong", "NSW", "2500"),
        new("11 Sturt Street", "Ballarat", "VIC", "3350"), new("30 Lake Street", "Cairns", "QLD", "4870"),
        new("2 Ruthven Street", "Toowoomba", "QLD", "4350"), new("18 Pinjarra Road", "Mandurah", "WA", "6210"),
        new("6 Todd Mall", "Alice Springs", "NT", "0870"), new("25 Commercial Street", "Mount Gambier", "SA", "5290"),
    ];
}
