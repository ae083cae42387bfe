using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Snapshots;
using Rtgf.Compiler;
using Rtgf.Functions.Tests.Support;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Registry;
using Rtgf.Register;

namespace Rtgf.Functions.Tests.Stats;

/// <summary>
/// The app over publications whose builds read TGA, sanctions and the labour-market sources (<c>osl</c>, <c>ivi</c>,
/// <c>abs</c>): snapshots cut with <see cref="SnapshotBuilder"/> from records made here (the connectors and the compiler's
/// inputs for them are built elsewhere), published through the app's publisher with one token each. Its own world, so
/// the other catalogue tests' publications never change.
/// </summary>
public sealed class StatsAppFixture() : StoredAppFixture(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero))
{
    public static readonly string[] States = ["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"];

    public ISnapshotStore Snapshots => Services.GetRequiredService<ISnapshotStore>();

    public RegisterGenerations Generations => Services.GetRequiredService<RegisterGenerations>();

    public List<Publication> Publications { get; } = [];

    /// <summary>Twelve occupations; ratings cycle through S, R, M, NS by code and state.</summary>
    public static IReadOnlyList<OccupationShortageRecord> Occupations { get; } =
    [
        .. Enumerable.Range(0, 12).Select(i => new OccupationShortageRecord(
            OccupationShortageRecord.AnzscoClassification,
            (351400 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "Occupation " + i,
            2025,
            OccupationShortageRecord.Ratings[i % 4],
            States.Select((s, j) => (s, OccupationShortageRecord.Ratings[(i + j) % 4])).ToDictionary(p => p.s, p => p.Item2, StringComparer.Ordinal),
            1 + (i % 5))),
    ];

    /// <summary>Series <c>total</c>: AUST and each state from 2024-06 to 2026-01, value = 100 × (state index + 1) + month index.</summary>
    public static IReadOnlyList<VacancySeriesRecord> Vacancies { get; } =
    [
        .. new[] { "AUST" }.Concat(States).Select((state, s) => new VacancySeriesRecord(
            "total", state, "0", "All occupations", 0,
            [.. Enumerable.Range(0, 20).Select(m => new VacancyPoint(new DateOnly(2024, 6, 1).AddMonths(m), 100m * (s + 1) + m))])),
    ];

    public static IReadOnlyList<LabourSeriesRecord> Labour { get; } =
    [
        .. States.Select((state, s) => new LabourSeriesRecord(
            "ABS,LF,1.0.0", $"M13.3.1599.20.{s + 1}.M", "Unemployment rate", state, "Percent",
            [new LabourObservation("2025-11", 4m + (s / 10m), null), new LabourObservation("2025-12", 3.5m + (s / 10m), null)])),
    ];

    /// <summary>Cuts the snapshots (TGA with <paramref name="components"/> components), stores and publishes a build that read them.</summary>
    public async Task<Publication> PublishAsync(int components)
    {
        Clock.Advance(TimeSpan.FromMinutes(5));
        var sources = new Dictionary<string, IEnumerable<ISnapshotRecord>>(StringComparer.Ordinal)
        {
            ["abs"] = Labour,
            ["ivi"] = Vacancies,
            ["osl"] = Occupations,
            ["sanctions"] = [new Line("sanction:1", """{"aliases":[],"name":"Someone","reference":"1"}""")],
            ["tga"] =
            [
                new Line("rto:1", """{"code":"1","legalName":"One","status":"Current","registrationManager":"ASQA","locations":[{"stateCode":"NSW"}]}"""),
                .. Enumerable.Range(1, components).Select(i => new Line("component:C" + i, $$"""{"code":"C{{i}}","title":"Component {{i}}","componentTypes":["Qualification"],"status":"Current","releases":[]}""")),
            ],
        };
        var inputs = new List<BuildInput>();
        foreach (var (source, records) in sources)
        {
            var snapshot = SnapshotBuilder.Build(source, $"run-{source}-{components}", Clock.GetUtcNow(), [new SnapshotProvenance("https://example.test/" + source, "GET")], records);
            await Snapshots.WriteAsync(snapshot);
            inputs.Add(new BuildInput(source, snapshot.Manifest.Digest, snapshot.Manifest.RecordCount));
        }

        var token = TestBuilds.Token(BaseUrl, "rto-registration", "rto:1", $$"""{"components":{{components}}}""", Clock.GetUtcNow().AddMinutes(-1), Clock.GetUtcNow().AddDays(30));
        var compiled = TestBuilds.Build([token], salt: string.Join(',', inputs.Select(i => i.Digest)));
        var build = new CompileResult(compiled.BuildId, compiled.ManifestJson, inputs, compiled.Tokens);
        await Services.GetRequiredService<Pipeline.Publishing.IBuildStore>().SaveAsync(Pipeline.Publishing.BuildCompilation.ToStored(build));
        var publication = await PublishAsync(build);
        Publications.Add(publication);
        return publication;
    }

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

    protected override async Task SeedAsync() => await PublishAsync(components: 3);

    /// <summary>A record as its JSON text (the register's TGA shapes).</summary>
    private sealed record Line(string Key, string Json) : ISnapshotRecord
    {
        public void WriteJson(Utf8JsonWriter writer) => writer.WriteRawValue(Json);
    }
}
