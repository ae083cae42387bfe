using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Snapshots;
using Rtgf.Compiler;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Functions.Tests.Support;

/// <summary>
/// A published build whose inputs include the labour-market snapshots (<c>osl</c>, <c>ivi</c>, <c>abs</c>) next to a TGA
/// snapshot whose components carry ANZSCO classifications, all cut by <see cref="SnapshotBuilder"/> from records made here
/// (the connectors and the compiler's family are other parts' work), with <c>training-component</c> and
/// <c>occupation-shortage</c> tokens for some of them. Its own fixture, so the sample world's publication is unchanged.
/// </summary>
public sealed class LabourMarketWorldFixture() : StoredAppFixture(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero))
{
    public static readonly DateTimeOffset IssuedAt = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The occupation whose ratings a token asserts.</summary>
    public const string TokenedOccupation = "351411";

    /// <summary>The components a <c>training-component</c> token asserts.</summary>
    public static readonly string[] TokenedComponents = ["HLT54121", "SIT30821"];

    /// <summary>ANZSCO occupations: code, title, skill level, national rating, ratings NSW VIC QLD SA WA TAS NT ACT.</summary>
    public static readonly (string Code, string Title, int Skill, string National, string[] States)[] Occupations =
    [
        ("351411", "Cook", 3, "S", ["S", "S", "R", "S", "S", "S", "NS", "NS"]),
        ("351311", "Chef", 2, "S", ["S", "S", "S", "S", "S", "S", "S", "M"]),
        ("261313", "Software Engineer", 1, "NS", ["M", "NS", "NS", "NS", "NS", "NS", "NS", "NS"]),
        ("411411", "Enrolled Nurse", 2, "S", ["S", "S", "S", "S", "S", "S", "S", "S"]),
        ("621111", "Sales Assistant (General)", 5, "NS", ["NS", "NS", "NS", "NS", "NS", "NS", "NS", "NS"]),
        .. Enumerable.Range(0, 20).Select(i => (
            string.Create(CultureInfo.InvariantCulture, $"7{i:D2}111"), "Filler Occupation " + i.ToString(CultureInfo.InvariantCulture), 1 + (i % 4), i % 3 == 0 ? "R" : "NS",
            new[] { "NS", "NS", "NS", "NS", i % 2 == 0 ? "R" : "NS", "NS", "NS", "NS" })),
    ];

    /// <summary>Components: code, status, ANZSCO classification values (scheme 01).</summary>
    public static readonly (string Code, string Status, string[] Anzsco)[] Components =
    [
        ("BSB10120", "Current", []),
        ("HLT54121", "Current", ["411411"]),
        ("ICT50220", "Current", ["261313"]),
        ("SIR20216", "Current", ["621111"]),
        ("SIT30816", "Superseded", ["351411"]),
        ("SIT30821", "Current", ["351411"]),
        ("SIT40521", "Current", ["351311"]),
        ("XYZ00001", "Current", ["999999", "3514"]),
    ];

    /// <summary>The first and last months of the unit groups' 14-month vacancy series.</summary>
    public static readonly DateOnly FirstMonth = new(2024, 3, 1);

    public const int Months = 14;

    public ISnapshotStore Snapshots => Services.GetRequiredService<ISnapshotStore>();

    /// <summary>The vacancy count of a unit group's series in a state in month <paramref name="index"/> (0 = <see cref="FirstMonth"/>).</summary>
    public static decimal Vacancies(string unitGroup, string state, int index) =>
        int.Parse(unitGroup, CultureInfo.InvariantCulture) / 10m + (state == "AUST" ? 1000 : state.Length * 10) + (index * 7.5m);

    /// <summary>The tests read /v1 anonymously from one address on a clock that stands still: the anonymous tier and abuse list (tested in Access/) are set out of their way.</summary>
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["ApiAccess:AnonymousRequestsPerMinute"] = "1000000",
        ["ApiAccess:Abuse:UnauthorizedPerMinute"] = "1000000",
        ["ApiAccess:Abuse:NotFoundPerMinute"] = "1000000",
    };

    protected override void ConfigureStoredServices(IServiceCollection services)
    {
        services.RemoveAll<ISnapshotStore>();
        services.AddSingleton<ISnapshotStore>(_ => new BlobSnapshotStore(Azurite.BlobService().GetBlobContainerClient(Prefix + "snapshots")));
    }

    protected override async Task SeedAsync()
    {
        var snapshots = new[]
        {
            Snapshot("tga", Components.Select(c => (ISnapshotRecord)new TrainingComponentRecord(
                c.Code, ["Qualification"], "Qualification " + c.Code, c.Status, "Current", [new ReleaseRecord("1", new DateOnly(2021, 1, 1), "Current", [])],
                [], [], [new UsageRecommendationRecord(c.Status, new DateOnly(2021, 1, 1), null)], null, null)
            {
                Classifications = [.. c.Anzsco.Select(v => new ClassificationRecord("01", v, "02")), new ClassificationRecord("04", "0303", null)],
            })),
            Snapshot("osl", [.. OslRecords()]),
            Snapshot("ivi", [.. IviRecords()]),
            Snapshot("abs", [.. AbsRecords()]),
        };
        foreach (var snapshot in snapshots)
        {
            await Snapshots.WriteAsync(snapshot);
        }

        var expires = IssuedAt.AddYears(1);
        List<CompiledToken> tokens =
        [
            .. TokenedComponents.Select(code => TestBuilds.Token(BaseUrl, "training-component", "tc:" + code, $$"""{"code":"{{code}}"}""", IssuedAt, expires)),
            TestBuilds.Token(BaseUrl, "occupation-shortage", "occupation:anzsco-2022:" + TokenedOccupation, $$"""{"code":"{{TokenedOccupation}}","national":"S"}""", IssuedAt, expires),
        ];
        var compiled = TestBuilds.Build(tokens, "labour-market");
        var build = new CompileResult(
            compiled.BuildId, compiled.ManifestJson, [.. snapshots.Select(s => new BuildInput(s.Manifest.Source, s.Manifest.Digest, s.Manifest.RecordCount))], compiled.Tokens);
        await Services.GetRequiredService<IBuildStore>().SaveAsync(BuildCompilation.ToStored(build));
        await PublishAsync(build);
    }

    private static Snapshot Snapshot(string source, IEnumerable<ISnapshotRecord> records) =>
        SnapshotBuilder.Build(source, "run-" + source, IssuedAt, [], records);

    private static IEnumerable<ISnapshotRecord> OslRecords()
    {
        foreach (var (code, title, skill, national, states) in Occupations)
        {
            yield return new OccupationShortageRecord(
                OccupationShortageRecord.AnzscoClassification, code, title, 2025, national,
                OccupationShortageRecord.StateCodes.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => states[p.i]), skill);
        }

        // OSCA codes are their own: 351411 in OSCA is another occupation than ANZSCO's.
        var ratings = OccupationShortageRecord.StateCodes.ToDictionary(s => s, _ => "R");
        yield return new OccupationShortageRecord(OccupationShortageRecord.OscaClassification, "351411", "Cook (OSCA)", 2025, "R", ratings, 3);
        yield return new OccupationShortageRecord(OccupationShortageRecord.OscaClassification, "261111", "ICT Business Analyst (OSCA)", 2025, "NS", ratings, null);
    }

    private static IEnumerable<ISnapshotRecord> IviRecords()
    {
        foreach (var group in new[] { "3514", "3513", "4114" })
        {
            foreach (var state in new[] { "AUST", "NSW", "VIC" })
            {
                yield return new VacancySeriesRecord(
                    "anzsco4-3mma", state, group, "Unit group " + group, 4,
                    [.. Enumerable.Range(0, Months).Select(i => new VacancyPoint(FirstMonth.AddMonths(i), Vacancies(group, state, i)))]);
            }
        }

        // Another level-4 series of the same group (the first by name is shown), a 2-digit group, and a short series.
        yield return new VacancySeriesRecord("zz-other", "AUST", "3514", "Unit group 3514", 4, [new VacancyPoint(FirstMonth, 1)]);
        yield return new VacancySeriesRecord("anzsco2-trend", "AUST", "35", "Food Trades Workers", 2, [new VacancyPoint(FirstMonth, 5000)]);
        yield return new VacancySeriesRecord(
            "anzsco4-3mma", "AUST", "2613", "Software and Applications Programmers", 4,
            [.. Enumerable.Range(0, 6).Select(i => new VacancyPoint(FirstMonth.AddMonths(i), 100 + i))]);
    }

    private static IEnumerable<ISnapshotRecord> AbsRecords()
    {
        yield return new LabourSeriesRecord(
            "ABS,LF,1.0.0", "M3.3.1599.20.AUS.M", "Employed total", "AUS", "Thousands of persons",
            [new("2025-01", 14600.1m, null), new("2025-02", 14610.5m, "r"), new("2025-03", 14623.1m, null)]);
        yield return new LabourSeriesRecord(
            "ABS,LF,1.0.0", "M3.3.1599.20.NSW.M", "Employed total", "NSW", "Thousands of persons", [new("2025-03", 4500.2m, null)]);
        yield return new LabourSeriesRecord(
            "ABS,LF,1.0.0", "M13.3.1599.20.VIC.M", "Unemployment rate", "VIC", "Percent", [new("2025-03", 4.1m, null)]);
        yield return new LabourSeriesRecord(
            "ABS,ERP_Q,1.0.0", "1.3.TOT.1.Q", "Estimated resident population", "VIC", "Persons", [new("2024-Q3", 7000000m, null), new("2024-Q4", 7010000m, null)]);
    }
}
