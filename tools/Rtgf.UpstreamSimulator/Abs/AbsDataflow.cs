namespace Rtgf.UpstreamSimulator.Abs;

/// <summary>One code of an SDMX codelist: its id and its English label.</summary>
internal sealed record AbsCode(string Id, string Name);

/// <summary>One series dimension of a simulated ABS dataflow, its codes in codelist order.</summary>
internal sealed record AbsDimension(string Id, string Name, IReadOnlyList<AbsCode> Codes);

/// <summary>
/// A simulated ABS dataflow: its id, version and name, the series dimensions in data structure order (the key's order),
/// and its frequency (<c>M</c> or <c>Q</c>). Codes follow what several public clients use (docs/research/abs-data-api.md).
/// </summary>
internal sealed record AbsDataflow(string Id, string Version, string Name, IReadOnlyList<AbsDimension> Dimensions, char Frequency)
{
    public const string Agency = "ABS";

    /// <summary>Region codes of the ABS state codelist (<c>1</c> … <c>8</c>, <c>AUS</c>), with labels.</summary>
    public static readonly IReadOnlyList<AbsCode> Regions =
    [
        new("1", "New South Wales"), new("2", "Victoria"), new("3", "Queensland"), new("4", "South Australia"),
        new("5", "Western Australia"), new("6", "Tasmania"), new("7", "Northern Territory"), new("8", "Australian Capital Territory"),
        new("AUS", "Australia"),
    ];

    private static readonly IReadOnlyList<AbsCode> Sexes = [new("1", "Males"), new("2", "Females"), new("3", "Persons")];

    /// <summary>Labour Force, Australia (monthly): MEASURE.SEX.AGE.TSEST.REGION.FREQ.</summary>
    public static readonly AbsDataflow LabourForce = new(
        "LF",
        "1.0.0",
        "Labour Force",
        [
            new("MEASURE", "Measure", [new("M3", "Employed total"), new("M12", "Participation rate"), new("M13", "Unemployment rate")]),
            new("SEX", "Sex", Sexes),
            new("AGE", "Age", [new("1599", "15 years and over")]),
            new("TSEST", "Adjustment Type", [new("10", "Original"), new("20", "Seasonally Adjusted"), new("30", "Trend")]),
            new("REGION", "Region", Regions),
            new("FREQ", "Frequency", [new("M", "Monthly")]),
        ],
        'M');

    /// <summary>Estimated resident population by state (quarterly): MEASURE.SEX.AGE.REGION.FREQ.</summary>
    public static readonly AbsDataflow Population = new(
        "ERP_Q",
        "1.0.0",
        "Quarterly Population Estimates (ERP), by State/Territory, Sex and Age",
        [
            new("MEASURE", "Measure", [new("1", "Estimated Resident Population")]),
            new("SEX", "Sex", Sexes),
            new("AGE", "Age", [new("TOT", "All ages")]),
            new("REGION", "Region", Regions),
            new("FREQ", "Frequency", [new("Q", "Quarterly")]),
        ],
        'Q');

    public static readonly IReadOnlyList<AbsDataflow> All = [LabourForce, Population];

    /// <summary>The flow a <c>flowRef</c> names: <c>LF</c>, <c>ABS,LF</c> or <c>ABS,LF,1.0.0</c> (<c>latest</c> as the version); null when none.</summary>
    public static AbsDataflow? Find(string flowRef)
    {
        var parts = flowRef.Split(',');
        var (agency, id, version) = parts.Length switch
        {
            1 => (Agency, parts[0], "latest"),
            2 => (parts[0], parts[1], "latest"),
            3 => (parts[0], parts[1], parts[2]),
            _ => (string.Empty, string.Empty, string.Empty),
        };
        return All.FirstOrDefault(f => agency == Agency && f.Id == id && (version == "latest" || version == f.Version));
    }

    /// <summary>The UNIT_MEASURE and UNIT_MULT codes of a series of this flow, by its measure code.</summary>
    public static (AbsCode Unit, AbsCode Multiplier) UnitOf(string measure) => measure switch
    {
        "M12" or "M13" => (new AbsCode("PCT", "Percent"), new AbsCode("0", "Units")),
        "M3" => (new AbsCode("NUM", "Number"), new AbsCode("3", "Thousands")),
        _ => (new AbsCode("NUM", "Number"), new AbsCode("0", "Units")),
    };
}
