using System.Text;
using System.Text.Json;
using Rtgf.Azure.Pipeline.Publishing;
using Rtgf.Azure.Pipeline.Stats;
using Rtgf.Azure.Snapshots;
using Rtgf.Compiler;
using Rtgf.Core.Encoding;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;
using Rtgf.Register.Stats;
using Rtgf.Testing;

namespace Rtgf.Register.Tests.Stats;

/// <summary>
/// Builds and publications for the statistics on Azurite, each test in its own tables and containers: snapshots cut with
/// <see cref="SnapshotBuilder"/> from records made here (TGA lines as the register reads them, the seam's OSL, IVI and ABS
/// records), a stored build that read them, and its publication row as the publisher writes it last.
/// </summary>
internal sealed class StatsWorld
{
    public static readonly DateTimeOffset FetchedAt = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public StatsWorld(AzuriteFixture azurite)
    {
        var prefix = azurite.UniqueName("st");
        Records = new TableRecordStore(azurite.TableService(), prefix);
        Builds = new BlobBuildStore(azurite.BlobService().GetBlobContainerClient(prefix + "builds"));
        Snapshots = new BlobSnapshotStore(azurite.BlobService().GetBlobContainerClient(prefix + "snapshots"));
        Documents = new BlobStatsDocumentStore(azurite.BlobService().GetBlobContainerClient(prefix + "stats"));
        Calculator = new PublicationStatsCalculator(Builds, Snapshots, Records);
        Worker = new StatsCacheWorker(Documents, Records, Calculator);
    }

    public TableRecordStore Records { get; }

    public BlobBuildStore Builds { get; }

    public BlobSnapshotStore Snapshots { get; }

    public BlobStatsDocumentStore Documents { get; }

    public PublicationStatsCalculator Calculator { get; }

    public StatsCacheWorker Worker { get; }

    /// <summary>Three RTOs (NSW; NSW+VIC; none), four scope rows (two current on the TGA day), three components, a sanction.</summary>
    public static IReadOnlyList<ISnapshotRecord> Tga(string extraComponent = "") =>
    [
        Line("rto:1", """{"code":"1","legalName":"One","status":"Current","registrationManager":"ASQA","locations":[{"stateCode":"NSW"}]}"""),
        Line("rto:2", """{"code":"2","legalName":"Two","status":"Current","registrationManager":"VRQA","locations":[{"stateCode":"NSW"},{"stateCode":"VIC"}]}"""),
        Line("rto:3", """{"code":"3","legalName":"Three","status":"Cancelled","registrationManager":"ASQA"}"""),
        Line("scope:1:A", """{"componentCode":"A","organisationCode":"1","componentTypes":["Qualification"],"startDate":"2020-01-01"}"""),
        Line("scope:1:B", """{"componentCode":"B","organisationCode":"1","componentTypes":["Unit"],"startDate":"2020-01-01","endDate":"2021-01-01"}"""),
        Line("scope:2:A", """{"componentCode":"A","organisationCode":"2","componentTypes":["Qualification"],"startDate":"2024-01-01"}"""),
        Line("scope:2:C", """{"componentCode":"C","organisationCode":"2","componentTypes":["Qualification"],"isRefused":true}"""),
        Line("component:A", """{"code":"A","title":"Cert A","componentTypes":["Qualification"],"status":"Current","releases":[]}"""),
        Line("component:B", """{"code":"B","title":"Unit B","componentTypes":["Unit"],"status":"Current","releases":[]}"""),
        Line("component:C", """{"code":"C","title":"Cert C","componentTypes":["Qualification"],"status":"Superseded","releases":[]}"""),
        .. extraComponent.Length == 0 ? [] : new[] { Line("component:" + extraComponent, $$"""{"code":"{{extraComponent}}","title":"New","componentTypes":["Skill Set"],"status":"Current","releases":[]}""") },
    ];

    public static IReadOnlyList<ISnapshotRecord> Sanctions() =>
        [Line("sanction:1", """{"aliases":[],"name":"Someone","reference":"1"}""")];

    /// <summary>Three ANZSCO occupations and one OSCA occupation of the 2025 list.</summary>
    public static IReadOnlyList<ISnapshotRecord> Osl() =>
    [
        Shortage(OccupationShortageRecord.AnzscoClassification, "351411", "S", "S", "S", "R", "S", "S", "S", "M", "S"),
        Shortage(OccupationShortageRecord.AnzscoClassification, "261313", "NS", "NS", "S", "NS", "NS", "NS", "NS", "NS", "NS"),
        Shortage(OccupationShortageRecord.AnzscoClassification, "254499", "S", "S", "S", "S", "S", "R", "R", "S", "S"),
        Shortage(OccupationShortageRecord.OscaClassification, "3514", "S", "S", "S", "S", "S", "S", "S", "S", "S"),
    ];

    /// <summary>
    /// Series <c>test</c>: AUST and NSW have totals (level 0) and a unit group; VIC has only two unit groups (summed). The
    /// latest month is 2026-01; 2025-01 is twelve months before.
    /// </summary>
    public static IReadOnlyList<ISnapshotRecord> Ivi() =>
    [
        Vacancy("AUST", "0", 0, (2025, 1, 1000m), (2025, 12, 1150m), (2026, 1, 1100m)),
        Vacancy("AUST", "3514", 4, (2025, 1, 30m), (2026, 1, 45m)),
        Vacancy("NSW", "0", 0, (2025, 1, 400m), (2026, 1, 300m)),
        Vacancy("VIC", "3514", 4, (2025, 1, 10m), (2026, 1, 12m)),
        Vacancy("VIC", "2613", 4, (2025, 1, 20m), (2026, 1, 28.5m)),
    ];

    /// <summary>Unemployment rate in NSW from two series (the one with the later period wins) and employed persons in AUS.</summary>
    public static IReadOnlyList<ISnapshotRecord> Abs() =>
    [
        new LabourSeriesRecord("ABS,LF,1.0.0", "M13.3.1599.20.1.M", "Unemployment rate", "NSW", "Percent",
            [new LabourObservation("2025-11", 4.1m, null), new LabourObservation("2025-12", 4.2m, "r")]),
        new LabourSeriesRecord("ABS,LF,1.0.0", "M13.3.1599.10.1.M", "Unemployment rate", "NSW", "Percent",
            [new LabourObservation("2025-10", 3.9m, null)]),
        new LabourSeriesRecord("ABS,LF,1.0.0", "M3.3.1599.20.AUS.M", "Employed persons", "AUS", "Thousands of persons",
            [new LabourObservation("2025-12", 14650.3m, null), new LabourObservation("2025-11", 14600m, null)]),
    ];

    /// <summary>Cuts and stores the snapshots, stores a build that read them (its id the hash of a manifest naming them and <paramref name="salt"/>).</summary>
    public async Task<StoredBuild> BuildAsync(IReadOnlyDictionary<string, IReadOnlyList<ISnapshotRecord>> sources, string salt = "")
    {
        var inputs = new List<BuildInput>();
        foreach (var (source, records) in sources.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var snapshot = SnapshotBuilder.Build(source, "run-" + source + salt, FetchedAt, [new SnapshotProvenance("https://example.test/" + source, "GET")], records);
            await Snapshots.WriteAsync(snapshot);
            inputs.Add(new BuildInput(source, snapshot.Manifest.Digest, snapshot.Manifest.RecordCount));
        }

        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { salt, inputs = inputs.Select(i => i.Digest) }));
        var build = new StoredBuild(Sha256Digest.Of(manifest), manifest, inputs);
        await Builds.SaveAsync(build);
        return build;
    }

    /// <summary>The publication row of <paramref name="build"/> (partition <c>publication</c>, row = its hex), as the publisher writes it.</summary>
    public async Task<Publication> PublishAsync(StoredBuild build, DateTimeOffset at)
    {
        var publication = new Publication(build.BuildId, at, 10, 0, 0, 12, 1);
        Assert.True(await Records.TryCreateAsync(RecordTables.Publications, "publication", build.Hex, JsonSerializer.Serialize(publication, JsonSerializerOptions.Web)));
        Assert.Equal(publication, await PublicationRecords.GetAsync(Records, build.BuildId));
        return publication;
    }

    public static Dictionary<string, IReadOnlyList<ISnapshotRecord>> AllSources(string extraComponent = "") => new(StringComparer.Ordinal)
    {
        ["tga"] = Tga(extraComponent),
        ["sanctions"] = Sanctions(),
        ["osl"] = Osl(),
        ["ivi"] = Ivi(),
        ["abs"] = Abs(),
    };

    private static OccupationShortageRecord Shortage(string classification, string code, string national, params string[] states) =>
        new(classification, code, "Occupation " + code, 2025, national,
            OccupationShortageRecord.StateCodes.Zip(states).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal), 1);

    private static VacancySeriesRecord Vacancy(string state, string code, int level, params (int Year, int Month, decimal Value)[] points) =>
        new("test", state, code, "Group " + code, level, [.. points.Select(p => new VacancyPoint(new DateOnly(p.Year, p.Month, 1), p.Value))]);

    private static JsonLine Line(string key, string json) => new(key, json);

    /// <summary>A record as its JSON text (the register's TGA shapes, without the TGA part's record types).</summary>
    private sealed record JsonLine(string Key, string Json) : ISnapshotRecord
    {
        public void WriteJson(Utf8JsonWriter writer) => writer.WriteRawValue(Json);
    }
}
