using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Benchmarks.Compiler;

/// <summary>
/// The upstream simulator's seeded national world (4,000 RTOs, 25,000 current components, 500,000 scope rows, CRICOS,
/// TEQSA, DFAT, the Occupation Shortage List) mapped to the ingestion record types the way the connectors normalise them,
/// plus national-scale vacancy (IVI) and ABS series, cut into snapshots.
/// </summary>
internal static class NationalCorpus
{
    public static IReadOnlyList<Snapshot> Build(ulong seed, DateTimeOffset clock) => Build(WorldGenerator.National(seed, clock), clock);

    /// <summary>The snapshots of a given world (one a scenario may have changed), TGA and TEQSA fetched at <paramref name="clock"/>.</summary>
    public static IReadOnlyList<Snapshot> Build(SimulatedWorld world, DateTimeOffset clock)
    {
        return
        [
            Snapshot("tga", clock, WorldRecords.Tga(world)),
            Snapshot("cricos", world.CricosUpdated, Cricos(world)),
            Snapshot("teqsa", clock, world.TeqsaProviders.Select(p => (ISnapshotRecord)new TeqsaProviderRecord(
                p.ProviderId, p.Name, p.Abn, p.Category, p.SelfAccrediting, p.Status, p.RegistrationExpiry, p.Website,
                [.. p.Courses.Select(c => new TeqsaCourseRecord(c.Title, c.Status, c.RenewalDate))]))),
            Snapshot("sanctions", world.SanctionsUpdated, world.Sanctions.Select(s => (ISnapshotRecord)new SanctionsListingRecord(
                s.Reference.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Name, s.Type, s.Aliases, s.DateOfBirth, s.PlaceOfBirth,
                s.Citizenship, s.ListingInformation, s.Committees, s.ControlDate, s.Instrument))),
            Snapshot("osl", clock, Osl(world)),
            Snapshot("ivi", clock, Ivi(world)),
            Snapshot("abs", clock, Abs()),
        ];
    }

    private static readonly string[] States = ["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"];
    private static readonly string[] IviNation = ["AUST"];
    private static readonly string[] AbsNation = ["AUS"];
    private static readonly string[] Adjustments = ["10", "20", "30"];
    private static readonly string[] Measures = ["Employed persons", "Unemployed persons", "Unemployment rate", "Participation rate"];

    /// <summary>The IVI at national scale: level 0 and each unit group × AUST and the states, 241 months (2006-01 to 2026-01).</summary>
    private static IEnumerable<ISnapshotRecord> Ivi(SimulatedWorld world)
    {
        var months = Enumerable.Range(0, 241).Select(m => new DateOnly(2006, 1, 1).AddMonths(m)).ToArray();
        var groups = world.Occupations.Select(o => o.UnitGroup).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Prepend("0").ToList();
        return IviNation.Concat(States).SelectMany((state, s) => groups.Select((g, i) => (ISnapshotRecord)new VacancySeriesRecord(
            "anzsco4-3mma", state, g, "Group " + g, g == "0" ? 0 : 4,
            [.. months.Select((m, k) => new VacancyPoint(m, ((s + 1) * 37 + i * 11 + k) % 997 + 0.5m))])));
    }

    /// <summary>ABS series: 4 measures × AUS and the states × 3 adjustments, 500 months each.</summary>
    private static IEnumerable<ISnapshotRecord> Abs()
    {
        return Measures.SelectMany((measure, i) => AbsNation.Concat(States).SelectMany((state, s) => Adjustments.Select(adjustment =>
            (ISnapshotRecord)new LabourSeriesRecord("ABS,LF,1.0.0", $"M{i}.3.1599.{adjustment}.{s}.M", measure, state, "Percent",
                [.. Enumerable.Range(0, 500).Select(k => new LabourObservation(new DateOnly(1985, 1, 1).AddMonths(k).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), 4 + (k % 30) / 10m, null))]))));
    }

    /// <summary>
    /// Every occupation on the list twice, as the list publishes it: under its ANZSCO 2022 code and under an OSCA 2024 code.
    /// The world has no OSCA codes, so each gets a synthetic one (same major group, the other five digits reversed: distinct).
    /// </summary>
    private static IEnumerable<ISnapshotRecord> Osl(SimulatedWorld world)
    {
        foreach (var o in world.Occupations)
        {
            var states = new Dictionary<string, string>(o.States, StringComparer.Ordinal);
            yield return new OccupationShortageRecord(OccupationShortageRecord.AnzscoClassification, o.Code, o.Title, world.OslYear, o.National, states, o.SkillLevel);
            var osca = string.Concat(o.Code[..1], new string([.. o.Code[1..].Reverse()]));
            yield return new OccupationShortageRecord(OccupationShortageRecord.OscaClassification, osca, o.Title, world.OslYear, o.National, states, o.SkillLevel);
        }
    }

    private static Snapshot Snapshot(string source, DateTimeOffset fetchedAt, IEnumerable<ISnapshotRecord> records) =>
        SnapshotBuilder.Build(source, "bench-national", fetchedAt, [new SnapshotProvenance($"https://{source}.invalid/", "national-corpus", ServerTime: fetchedAt)], records);

    private static IEnumerable<ISnapshotRecord> Cricos(SimulatedWorld world)
    {
        foreach (var p in world.CricosProviders)
        {
            yield return new CricosProviderRecord(p.Code, p.InstitutionName, p.TradingName, p.InstitutionType, p.Capacity, p.Website,
                p.PostalAddress.Suburb, p.PostalAddress.State, p.PostalAddress.Postcode);
        }

        foreach (var l in world.CricosLocations)
        {
            yield return new CricosLocationRecord(l.ProviderCode, l.Name, l.Type, l.Address.Suburb, l.Address.State, l.Address.Postcode);
        }

        // One record per (provider, course): the source lists a course once per location.
        foreach (var group in world.CricosCourses.GroupBy(c => (c.ProviderCode, c.CourseCode)).OrderBy(g => g.Key.ProviderCode, StringComparer.Ordinal).ThenBy(g => g.Key.CourseCode, StringComparer.Ordinal))
        {
            var c = group.First();
            yield return new CricosCourseRecord(c.ProviderCode, c.CourseCode, c.Name, c.VetNationalCode, c.Level, c.DurationWeeks, c.TuitionFee, c.NonTuitionFee,
                c.TuitionFee + c.NonTuitionFee, c.Expired, [.. group.Select(x => x.LocationName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
        }
    }
}
