using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Register.Tests;

/// <summary>
/// The labour-market records as the seam's record types write them (through <see cref="SnapshotBuilder"/>), read into the
/// register's shapes and linked: component ↔ occupation, unit-group vacancy trends, shortage sets.
/// </summary>
public sealed class LabourMarketTests
{
    /// <summary>The generation's as-of day (its TGA snapshot's).</summary>
    private const string AsOf = "2026-01-01";

    private static readonly SnapshotLink Osl = new("osl", "sha256:" + new string('2', 64));

    private static SnapshotRecords Read(params ISnapshotRecord[] records)
    {
        var snapshot = SnapshotBuilder.Build("osl", "run", DateTimeOffset.UnixEpoch, [], records);
        var read = new SnapshotRecords();
        read.Read(snapshot.Records, Osl);
        return read;
    }

    private static Dictionary<string, string> Ratings(string all, string? act = null) =>
        OccupationShortageRecord.StateCodes.ToDictionary(s => s, s => s == "ACT" && act is not null ? act : all);

    private static TrainingComponentRecord Component(string code, string status, params ClassificationRecord[] classifications) =>
        new(code, ["Qualification"], "Title " + code, status, null, [], [], [], [], null, null) { Classifications = classifications };

    private static VacancySeriesRecord Series(string series, string state, string code, int level, params (int Year, int Month, decimal Value)[] points) =>
        new(series, state, code, "Group " + code, level, [.. points.Select(p => new VacancyPoint(new DateOnly(p.Year, p.Month, 1), p.Value))]);

    private static LabourMarket Link(SnapshotRecords records) =>
        new(records.Shortages, _ => (null, null), records.Vacancies, records.LabourSeries, records.ComponentAnzscoOn(AsOf),
            [.. records.Components.Select(RegisterView.Summary)]);

    [Fact]
    public void EachLabourMarketKind_IsToldByItsMembers_AndAComponentsAnzscoClassificationsAreRead()
    {
        var records = Read(
            new OccupationShortageRecord("anzsco-2022", "351411", "Cook", 2025, "S", Ratings("S", act: "NS"), 3),
            new OccupationShortageRecord("osca-2024", "351411", "Cook", 2025, "R", Ratings("R"), null),
            Series("anzsco4-3mma", "AUST", "3514", 4, (2025, 1, 812.30m), (2024, 1, 700m)),
            new LabourSeriesRecord("ABS,LF,1.0.0", "M3.3.1599.20.AUS.M", "Employed total", "AUS", "Thousands", [new("2025-02", 14610.5m, "r"), new("2025-01", 14600m, null)]),
            Component("SIT30821", "Current", new ClassificationRecord("01", "351411", "02"), new ClassificationRecord("04", "1101", null)),
            Component("BSB10120", "Current"));

        Assert.Equal(2, records.Shortages.Count);
        var cook = records.Shortages.Single(s => s.Classification == "anzsco-2022");
        Assert.Equal(["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"], cook.States.Keys);
        Assert.Equal("NS", cook.States["ACT"]);
        Assert.Equal(3, cook.SkillLevel);
        Assert.Null(records.Shortages.Single(s => s.Classification == "osca-2024").SkillLevel);
        var series = Assert.Single(records.Vacancies);
        Assert.Equal(["2024-01-01", "2025-01-01"], series.Points.Select(p => p.Month));
        Assert.Equal(812.3m, series.Points[1].Value);
        var abs = Assert.Single(records.LabourSeries);
        Assert.Equal("ABS.LF.1.0.0", abs.DataflowCode);
        Assert.Equal(["2025-01", "2025-02"], abs.Observations.Select(o => o.Period));
        Assert.Equal("r", abs.Observations[1].Status);
        Assert.Equal(["351411"], records.ComponentAnzscoOn(AsOf)["SIT30821"]);
        Assert.False(records.ComponentAnzsco.ContainsKey("BSB10120"));
        Assert.Equal(2, records.Components.Count);
    }

    [Fact]
    public void AnAnzscoClassificationEndedAndReplaced_LinksOnlyTheCurrentOccupation()
    {
        var records = Read(
            new OccupationShortageRecord("anzsco-2022", "351411", "Cook", 2025, "S", Ratings("S"), 3),
            new OccupationShortageRecord("anzsco-2022", "351311", "Chef", 2025, "S", Ratings("S"), 2),
            Component(
                "SIT30821",
                "Current",
                new ClassificationRecord("01", "351411", "02", new DateOnly(2025, 6, 30)),
                new ClassificationRecord("01", "351311", "02")));

        var market = Link(records);

        Assert.Equal(["351311"], market.GetOccupations("SIT30821").Select(o => o.Code));
        Assert.Empty(market.GetQualifications(market.GetOccupation("anzsco-2022", "351411")!));
        Assert.Equal(["351311", "351411"], records.ComponentAnzscoOn("2025-06-30").Values.Single()); // its last day: still current
    }

    [Fact]
    public void Links_TakeSixDigitAnzscoValues_ToListedAnzscoOccupations_AndTrendsCompareTheSameMonthAYearEarlier()
    {
        var records = Read(
            new OccupationShortageRecord("anzsco-2022", "351411", "Cook", 2025, "S", Ratings("NS", act: "M"), 3),
            new OccupationShortageRecord("anzsco-2022", "261313", "Software Engineer", 2025, "NS", Ratings("NS"), 1),
            new OccupationShortageRecord("osca-2024", "261313", "Software Engineer", 2025, "S", Ratings("S"), 1),
            Series("zz-later", "AUST", "3514", 4, (2025, 3, 1m)),
            Series("anzsco4-3mma", "AUST", "3514", 4, (2024, 3, 700m), (2024, 4, 710m), (2025, 3, 812.5m)),
            Series("anzsco4-3mma", "NSW", "3514", 4, (2025, 3, 90m)),
            Series("anzsco2", "AUST", "35", 2, (2025, 3, 5000m)),
            Component("A1", "Current", new ClassificationRecord("01", "3514-11", null)),
            Component("A2", "Superseded", new ClassificationRecord("01", "351411", null), new ClassificationRecord("01", "3514", null)),
            Component("A3", "Current", new ClassificationRecord("01", "261313", null), new ClassificationRecord("01", "999999", null)),
            Component("A4", "Current", new ClassificationRecord("02", "351411", null)));

        var market = Link(records);

        var cook = market.GetOccupation("anzsco-2022", "351411")!;
        Assert.Equal(["A1", "A2"], market.GetQualifications(cook).Select(c => c.Code));
        Assert.Equal(2, cook.QualificationCount);
        Assert.Equal(["351411"], market.GetOccupations("A2").Select(o => o.Code));
        Assert.Equal(["261313"], market.GetOccupations("A3").Select(o => o.Code));
        Assert.Empty(market.GetOccupations("A4"));
        Assert.Empty(market.GetQualifications(market.GetOccupation("osca-2024", "261313")!));

        Assert.Equal(["AUST", "NSW"], cook.Vacancies.Select(v => v.State));
        var aust = cook.Vacancies[0];
        Assert.Equal(("anzsco4-3mma", "2025-03-01", 812.5m, "2024-03-01", 700m, 112.5m), (aust.Series, aust.LatestMonth, aust.Latest, aust.YearEarlierMonth, aust.YearEarlier, aust.Change));
        Assert.Null(cook.Vacancies[1].Change);
        Assert.Equal("AUST", market.GetVacancies(cook, "aust")!.State);
        Assert.Null(market.GetVacancies(cook, "VIC"));

        // Shortage: ACT is M for the cook; nationally S; the software engineer is NS everywhere in ANZSCO (OSCA's S links nothing).
        Assert.True(market.LeadsToShortage("A1", "act"));
        Assert.True(market.LeadsToShortage("A2", "national"));
        Assert.False(market.LeadsToShortage("A1", "NSW"));
        Assert.False(market.LeadsToShortage("A3", "NSW"));
        Assert.Equal(["351411"], market.FindOccupations("anzsco-2022", "ACT", "shortage", null).Select(o => o.Code));
        Assert.Equal(["261313"], market.FindOccupations("anzsco-2022", null, "ns", 1).Select(o => o.Code));
        Assert.Equal(["261313"], market.FindOccupations("osca-2024", "nsw", "S", null).Select(o => o.Code));
    }
}
