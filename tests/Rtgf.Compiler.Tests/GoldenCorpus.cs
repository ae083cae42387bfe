using System.Security.Cryptography;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Compiler.Tests;

/// <summary>
/// A small hand-written world covering every family: a split scope, a refused scope row, a superseded component, a
/// tombstone, CRICOS courses (one expired), sanctions matches by name and by ABN and a clean RTO, occupation shortage
/// ratings in both classifications (one with a state the list left blank), and one vacancy and one labour series.
/// </summary>
internal static class GoldenCorpus
{
    public const string Issuer = "https://registry.rtgf.example";

    public const string ContactEmail = "jane.citizen@acme.example";

    public static readonly DateTimeOffset TgaFetchedAt = new(2026, 11, 20, 3, 15, 42, TimeSpan.Zero);
    public static readonly DateTimeOffset CricosFetchedAt = new(2026, 11, 19, 22, 0, 0, TimeSpan.FromHours(10));
    public static readonly DateTimeOffset DfatFetchedAt = new(2026, 11, 21, 6, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset TeqsaFetchedAt = new(2026, 11, 18, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset OslFetchedAt = new(2026, 10, 2, 1, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset IviFetchedAt = new(2026, 11, 19, 5, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset AbsFetchedAt = new(2026, 11, 17, 0, 30, 0, TimeSpan.Zero);

    public static PolicyMatrix Matrix { get; } = PolicyMatrix.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", "policy-matrix.json")));

    public static IReadOnlyList<ISnapshotRecord> Tga() =>
    [
        new RtoRecord("90001", "Acme Training Pty Ltd", "51 824 753 556", ["Acme Skills", "ACME Academy"], "Current", "ASQA",
            new DateOnly(2020, 1, 1), new DateOnly(2027, 1, 1), new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.FromHours(10)))
        {
            // Personal data in the snapshot for the catalogue API: no token may carry it.
            Contacts = [new RtoContact(ContactEmail, "Jane", "Chief Executive Officer", "Citizen", "Acme Training Pty Ltd", "02 9999 0000",
                new RtoAddress("1101", "PO Box 1", null, "2001", "NSW", "Sydney"), "ChiefExecutive", "1")],
            Locations = [new RtoAddress("1101", "1 George Street", "Level 2", "2000", "NSW", "Sydney")],
        },
        new RtoRecord("90002", "Bright Futures Institute Ltd", "11 222 333 444", [], "Cancelled", "VRQA", new DateOnly(2018, 5, 1), new DateOnly(2025, 4, 30), null),
        new RtoRecord("90003", "Kremlin Holdings Pty Ltd", null, [], "Current", "ASQA", new DateOnly(2022, 3, 1), new DateOnly(2029, 2, 28), null),
        new RtoRecord("90004", "Ozzie Logistics Training", "12345678901", ["Ozzie Ed"], "Current", "TAC", new DateOnly(2021, 7, 1), new DateOnly(2028, 6, 30), null),
        Scope("90001", "BSB40120", "01", isImplicit: false, isRefused: false, new DateOnly(2020, 2, 1), null),
        Scope("90001", "BSB50120", "01", isImplicit: false, isRefused: false, new DateOnly(2020, 2, 1), null),
        Scope("90001", "BSBWHS411", "02", isImplicit: true, isRefused: false, new DateOnly(2021, 1, 1), null),
        Scope("90001", "CHC33021", "03", isImplicit: false, isRefused: false, new DateOnly(2021, 6, 1), new DateOnly(2026, 6, 1)),
        Scope("90001", "CPC30220", "01", isImplicit: false, isRefused: true, null, null),
        Scope("90002", "BSB40120", "01", isImplicit: false, isRefused: false, new DateOnly(2019, 1, 1), new DateOnly(2025, 4, 30)),
        Scope("90004", "TLI31222", "01", isImplicit: false, isRefused: false, new DateOnly(2021, 8, 1), null),
        new TrainingComponentRecord("BSB40120", ["Qualification"], "Certificate IV in Business", "Current", "Current",
            [new ReleaseRecord("1", new DateOnly(2020, 1, 1), "Superseded", ["BSBWHS411"]), new ReleaseRecord("2", new DateOnly(2022, 3, 1), "Current", ["BSBWHS411"])],
            ["BSB40115"], [], [new UsageRecommendationRecord("Current", new DateOnly(2020, 1, 1), null)], "BSB", null),
        new TrainingComponentRecord("BSB40115", ["Qualification"], "Certificate IV in Business", "Superseded", "Superseded",
            [new ReleaseRecord("1", new DateOnly(2015, 3, 1), "Superseded", [])],
            [], ["BSB40120"],
            [new UsageRecommendationRecord("Current", new DateOnly(2015, 3, 1), new DateOnly(2020, 1, 1)), new UsageRecommendationRecord("Superseded", new DateOnly(2020, 1, 1), null)],
            "BSB", null),
        new TrainingComponentRecord("BSBWHS411", ["Unit"], "Implement and monitor WHS policies", "Current", null, [], [], [], [], null, null),
        new TombstoneRecord("component:OLD123", "delete", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)),
    ];

    public static IReadOnlyList<ISnapshotRecord> Cricos() =>
    [
        new CricosProviderRecord("00001A", "Acme Training Pty Ltd", "Acme Skills", "Private", 400, "https://acme.example", "Sydney", "NSW", "2000"),
        new CricosCourseRecord("00001A", "012345A", "Certificate IV in Business", "BSB40120", "Certificate IV", 52, 12000.00m, 500.50m, 12500.50m, false, ["Sydney Campus", "Melbourne Campus"]),
        new CricosCourseRecord("00001A", "054321B", "Diploma of Nothing", null, "Diploma", null, null, null, null, true, []),
        new CricosCourseRecord("00002B", "099999C", "Ünïcödé Course – 日本語", null, null, 26, 1.5m, null, null, false, ["Perth"]),
        new CricosLocationRecord("00001A", "Sydney Campus", "Campus", "Sydney", "NSW", "2000"),
    ];

    public static IReadOnlyList<ISnapshotRecord> Dfat() =>
    [
        new SanctionsListingRecord("101", "KREMLIN HOLDINGS LIMITED", "Entity", ["Kremlin Hldgs"], null, null, null, "Listed 2022", "Russia", new DateOnly(2022, 3, 18), "Autonomous Sanctions"),
        new SanctionsListingRecord("102", "Ivan PETROV", "Individual", ["Ivan Petrov-Smith"], "1970", "Moscow", "Russian", null, "Russia", new DateOnly(2022, 3, 18), "Autonomous Sanctions"),
        new SanctionsListingRecord("103", "Front Company Ltd", "Entity", [], null, null, null, "Associated entity ABN 12 345 678 901", "DPRK", new DateOnly(2023, 1, 9), "UNSC"),
    ];

    public static IReadOnlyList<ISnapshotRecord> Teqsa() =>
    [
        new TeqsaProviderRecord("PRV12001", "Example University", "12 345 678 999", "Australian University", "Yes", "Registered", new DateOnly(2030, 1, 1), null, []),
    ];

    public static IReadOnlyList<ISnapshotRecord> Osl(int year = 2025) =>
    [
        Shortage(OccupationShortageRecord.AnzscoClassification, "351411", "Cook", year, "S", 3, ("NSW", "S"), ("VIC", "S"), ("QLD", "S"), ("SA", "R"), ("WA", "S"), ("TAS", "S"), ("NT", "S"), ("ACT", "NS")),
        Shortage(OccupationShortageRecord.AnzscoClassification, "261313", "Software Engineer", year, "NS", 1, ("NSW", "NS"), ("VIC", "NS"), ("QLD", "NS"), ("SA", "NS"), ("WA", "NS"), ("TAS", "NS"), ("NT", "NS"), ("ACT", "NS")),
        Shortage(OccupationShortageRecord.OscaClassification, "341411", "Cook", year, "M", null, ("NSW", "M"), ("VIC", "S"), ("QLD", "S"), ("SA", "R"), ("WA", "S"), ("TAS", "S"), ("NT", "S")),
    ];

    public static IReadOnlyList<ISnapshotRecord> Ivi() =>
    [
        new VacancySeriesRecord("anzsco4-3mma", "VIC", "3513", "Chefs", 4, [new VacancyPoint(new DateOnly(2025, 4, 1), 790.7m), new VacancyPoint(new DateOnly(2025, 5, 1), 812.30m)]),
    ];

    public static IReadOnlyList<ISnapshotRecord> Abs() =>
    [
        new LabourSeriesRecord("ABS,LF,1.0.0", "M3.3.1599.20.AUS.M", "Employed total", "AUS", "Thousands of persons",
            [new LabourObservation("2025-03", 14601.5m, null), new LabourObservation("2025-04", 14623.1m, "r")]),
    ];

    public static OccupationShortageRecord Shortage(string classification, string code, string title, int year, string national, int? skillLevel, params (string State, string Rating)[] states) =>
        new(classification, code, title, year, national, states.ToDictionary(s => s.State, s => s.Rating, StringComparer.Ordinal), skillLevel);

    public static IReadOnlyList<Snapshot> Snapshots(ulong? shuffleSeed = null, bool withTeqsa = true)
    {
        var snapshots = new List<Snapshot>
        {
            Build("tga", TgaFetchedAt, Tga(), shuffleSeed),
            Build("cricos", CricosFetchedAt, Cricos(), shuffleSeed),
            Build("sanctions", DfatFetchedAt, Dfat(), shuffleSeed),
            Build("osl", OslFetchedAt, Osl(), shuffleSeed),
            Build("ivi", IviFetchedAt, Ivi(), shuffleSeed),
            Build("abs", AbsFetchedAt, Abs(), shuffleSeed),
        };
        if (withTeqsa)
        {
            snapshots.Add(Build("teqsa", TeqsaFetchedAt, Teqsa(), shuffleSeed));
        }

        return shuffleSeed is { } seed ? Shuffle(snapshots, seed) : snapshots;
    }

    public static Snapshot Build(string source, DateTimeOffset fetchedAt, IEnumerable<ISnapshotRecord> records, ulong? shuffleSeed = null) =>
        SnapshotBuilder.Build(source, "run-golden", fetchedAt, [new SnapshotProvenance($"https://{source}.invalid/", "golden", ServerTime: fetchedAt)],
            shuffleSeed is { } seed ? Shuffle(records.ToList(), seed) : records);

    /// <summary>A seeded Fisher-Yates shuffle (SplitMix64): the same seed gives the same order, and no banned randomness.</summary>
    public static List<T> Shuffle<T>(List<T> items, ulong seed)
    {
        var result = new List<T>(items);
        var state = seed;
        for (var i = result.Count - 1; i > 0; i--)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            var j = (int)(z % (ulong)(i + 1));
            (result[i], result[j]) = (result[j], result[i]);
        }

        return result;
    }

    /// <summary>The manifest, then every payload, one per line: everything a build outputs, as one byte string.</summary>
    public static byte[] Output(CompileResult result)
    {
        using var buffer = new MemoryStream();
        buffer.Write(result.ManifestJson.Span);
        buffer.WriteByte((byte)'\n');
        foreach (var token in result.Tokens)
        {
            buffer.Write(token.PayloadJson.Span);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    public static string OutputDigest(CompileResult result) => Convert.ToHexStringLower(SHA256.HashData(Output(result)));

    private static ScopeRecord Scope(string organisation, string component, string extent, bool isImplicit, bool isRefused, DateOnly? start, DateOnly? end) =>
        new(organisation, component, [component.Length > 8 ? "Unit" : "Qualification"], extent, isImplicit, isRefused, isRefused ? "Refused" : null, start, end);
}
